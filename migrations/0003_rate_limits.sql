-- Failed attempts per bucket (a hashed card number, ID or client address), for rate limits that
-- hold across API processes. Rows older than the longest window are pruned as they are read.
create table rate_limit_hits (
  bucket text not null,
  at timestamptz not null
);
create index rate_limit_hits_bucket_at on rate_limit_hits (bucket, at);
