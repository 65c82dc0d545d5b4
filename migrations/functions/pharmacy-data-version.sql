-- Open data (docs/OPEN-DATA.md): every change to a pharmacy row takes a new number from the
-- sequence pharmacy_data_version, so the open-data snapshot can tell cheaply whether anything
-- changed. Called by the BEFORE UPDATE row trigger pharmacies_data_version (migration 0022).
create or replace function pharmacies_bump_data_version() returns trigger language plpgsql as $$
begin
  new.data_version := nextval('pharmacy_data_version');
  return new;
end $$;
