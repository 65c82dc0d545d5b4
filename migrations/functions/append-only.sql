-- Append-only tables: their BEFORE UPDATE OR DELETE row triggers (audit_log_no_update, migration
-- 0001; bank_notices_no_update, migration 0083) call these, so a row once written cannot be
-- altered or removed. TRUNCATE fires no row trigger (scripts/restore.ts replaces tables whole).
create or replace function audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only';
end $$;

create or replace function bank_notices_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'bank_notices is append-only';
end $$;
