-- Every bank notice, matched or not, is its own record (issue 7 (f)): append-only like the audit
-- log (migration 0001), so the audit log no longer repeats each notice as a `bank.notice` row —
-- one row per transfer instead of two, and the unmatched transfers that reconciliation refunds
-- by hand cannot be altered or removed either.
create function bank_notices_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'bank_notices is append-only';
end $$;
create trigger bank_notices_no_update before update or delete on bank_notices
  for each row execute function bank_notices_append_only();
