-- Delivery of the durable outbox (SPEC §8). A worker claims due rows with
-- `SELECT … FOR UPDATE SKIP LOCKED` and holds the row locks while it sends them, so a worker
-- that dies mid-send frees its rows at once. The worker schedules retries by its own wall clock
-- (the demo clock stands still), so due-ness lives in separate columns:
--   retry_after    no new attempt before this wall-clock instant (exponential backoff)
--   given_up_at    attempts ran out (platform clock); the row stays for operators to inspect
-- `created_at`, `next_attempt_at` and `sent_at` keep the platform clock, as business times.
alter table outbox
  add column retry_after timestamptz,
  add column given_up_at timestamptz;

create index outbox_undelivered on outbox (id) where sent_at is null and given_up_at is null;

-- Wake the delivery workers of every process when a message is committed: NOTIFY is delivered
-- at commit, so a worker never looks before the row is visible.
create function outbox_notify_enqueued() returns trigger language plpgsql as $$
begin
  perform pg_notify('outbox_enqueued', '');
  return null;
end $$;
create trigger outbox_enqueued after insert on outbox
  for each statement execute function outbox_notify_enqueued();

-- What the simulated partners received (SIMULATORS=on): the in-process SMTP server stores each
-- e-mail by its Message-ID and the SMS simulator each SMS by its outbox id, so a retried
-- delivery is stored once. Read by GET /api/v1/sim/outbox; it survives restarts.
create table sim_messages (
  id bigint generated always as identity primary key,
  message_key text not null,
  channel text not null check (channel in ('email', 'sms')),
  recipient text not null,
  sender text not null,
  subject text,
  body text not null,
  sent_at timestamptz not null,
  received_at timestamptz not null,
  unique (message_key, recipient)
);
create index sim_messages_recipient on sim_messages (recipient, id);
