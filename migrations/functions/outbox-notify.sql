-- Wake the delivery workers of every process when a message is committed: NOTIFY is delivered
-- at commit, so a worker never looks before the row is visible. Statement triggers on `outbox`
-- (outbox_enqueued, migration 0040) and on `draw_email_batches` (draw_email_batches_queued,
-- migration 0051) call it.
create or replace function outbox_notify_enqueued() returns trigger language plpgsql as $$
begin
  perform pg_notify('outbox_enqueued', '');
  return null;
end $$;
