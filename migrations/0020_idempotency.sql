-- Idempotency records for partner calls (API.md "Conventions": a retry with the same
-- Idempotency-Key returns the first outcome and does nothing twice). The row is written in
-- the same transaction as the effect it records: a rolled-back call leaves no record, and a
-- concurrent duplicate waits on the primary key until the first one commits or rolls back.
create table idempotency_keys (
  scope text not null,
  key text not null,
  -- sha256 of the request (method, path, body): the same key with another request is refused
  fingerprint text not null,
  -- null only while the first request is still inside its transaction
  status int,
  body jsonb,
  created_at timestamptz not null,
  primary key (scope, key)
);
create index idempotency_keys_created_at on idempotency_keys (created_at);
