-- A try is reserved before it is evaluated (docs/SECURITY.md "Limits on failed tries"). One row
-- per bucket holds the instants of the tries its window still counts — failures, and tries still
-- being evaluated — at most `max` of them. Reserving is one INSERT … ON CONFLICT DO UPDATE, whose
-- update runs on the latest version of the row under its row lock: it drops what the window no
-- longer sees and appends the try only while fewer than `max` remain, so however many tries
-- arrive at once, a limit of N lets at most N in per window. A right try removes its instant
-- again; a failed one leaves it counted.
--
-- Replaces rate_limit_hits (one row per failure, counted after the fact). Its counts are not
-- carried over: failures of the last hour before the upgrade are forgotten once.
drop table rate_limit_hits;

create table rate_limit_buckets (
  bucket text primary key,
  max int not null check (max > 0),
  window_ms int8 not null check (window_ms > 0),
  -- Instants (platform clock) of the counted tries, oldest first.
  hits timestamptz[] not null
);
