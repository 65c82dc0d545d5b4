-- Open data (docs/OPEN-DATA.md): every change to a pharmacy row (stock, name, address, …)
-- takes a new number from a sequence, so the open-data snapshot can tell cheaply whether
-- anything changed (count and sum of versions) without a shared counter row that every sale
-- would have to lock.
create sequence pharmacy_data_version;
alter table pharmacies add column data_version bigint not null default nextval('pharmacy_data_version');

create function pharmacies_bump_data_version() returns trigger language plpgsql as $$
begin
  new.data_version := nextval('pharmacy_data_version');
  return new;
end $$;
create trigger pharmacies_data_version before update on pharmacies
  for each row when (old is distinct from new) execute function pharmacies_bump_data_version();

-- Airport counters find residents by resident certificate number (SPEC §6).
create index persons_arc_number on persons (arc_number) where arc_number is not null;
