-- The active programme (SPEC §3): period, pack sizes, prices and age limit are settings, so
-- the same platform can run a 14-day period or ration another item. One row; the defaults are
-- mask rationing 2.0 of March 2020 (src/rules/programme.ts DEFAULT_PROGRAMME).
create table programme_settings (
  id int primary key default 1 check (id = 1),
  period_days int not null check (period_days between 1 and 366),
  adult_pack_size int not null check (adult_pack_size > 0),
  child_pack_size int not null check (child_pack_size > 0),
  unit_price int not null check (unit_price >= 0),
  child_max_age int not null check (child_max_age between 0 and 150),
  online_fee int not null check (online_fee >= 0),
  airport_price_twd int not null check (airport_price_twd >= 0),
  airport_price_usd int not null check (airport_price_usd >= 0),
  updated_at timestamptz
);
insert into programme_settings (id, period_days, adult_pack_size, child_pack_size, unit_price,
                                child_max_age, online_fee, airport_price_twd, airport_price_usd)
values (1, 7, 3, 5, 5, 16, 7, 50, 2);
