-- The outbox is claimed in id order through outbox_undelivered (migration 0040); nothing reads
-- outbox_pending (next_attempt_at) since. Each queued message paid for it with one more index
-- entry (issue 7 (f), (g): a pickup SMS per bank notice, a selection e-mail per winner).
drop index outbox_pending;
