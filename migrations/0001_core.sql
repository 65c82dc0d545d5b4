-- Core schema shared by every capability. Later capabilities add their own numbered files.
-- Times are timestamptz (instants); calendar days are date in Asia/Taipei.

create table manual_clock (
  id int primary key check (id = 1),
  now_at timestamptz not null
);

-- People known to the platform: nationals (national ID) and foreign residents (ARC/UI number).
create table persons (
  id bigint generated always as identity primary key,
  national_id text not null unique,
  name text not null,
  birth_date date not null,
  nationality text not null check (nationality in ('TW', 'foreign')),
  arc_number text,
  created_at timestamptz not null
);

-- NHI cards. Only the public half of the card's Ed25519 key is kept; the private key lives "on the card".
create table cards (
  card_no char(12) primary key check (card_no ~ '^[0-9]{12}$'),
  person_id bigint not null references persons (id),
  public_key_pem text not null,
  issued_at timestamptz not null,
  revoked_at timestamptz
);
create index cards_person on cards (person_id);
create sequence card_no_seq start 10000001;
-- At most one valid card per person: a reissue revokes the earlier card.
create unique index cards_one_valid_per_person on cards (person_id) where revoked_at is null;

create table admins (
  username text primary key,
  password_hash text not null,
  created_at timestamptz not null
);

-- Opaque bearer tokens for citizens and operators; only a SHA-256 of the token is stored.
create table sessions (
  token_hash bytea primary key,
  kind text not null check (kind in ('admin', 'citizen')),
  person_id bigint references persons (id),
  admin_username text references admins (username),
  channel text check (channel in ('web_card', 'web_certificate', 'app_phone', 'app_device', 'counter')),
  device_id bigint,
  created_at timestamptz not null,
  last_used_at timestamptz not null,
  expires_at timestamptz not null,
  revoked_at timestamptz,
  check ((kind = 'admin' and admin_username is not null) or (kind = 'citizen' and person_id is not null and channel is not null))
);
create index sessions_person on sessions (person_id) where person_id is not null;

-- Single-use challenges signed by a card, a certificate or a device.
create table challenges (
  id uuid primary key,
  nonce text not null,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz
);

create table pharmacies (
  code char(10) primary key,
  name text not null,
  address text not null,
  phone text not null,
  city text,
  district text,
  lat double precision,
  lng double precision,
  adult_stock int not null default 0 check (adult_stock >= 0),
  child_stock int not null default 0 check (child_stock >= 0),
  stock_updated_at timestamptz,
  created_at timestamptz not null
);

create table stores (
  id bigint generated always as identity primary key,
  chain text not null check (chain in ('7-11', 'FamilyMart', 'Hi-Life', 'OK')),
  store_no text not null,
  name text not null,
  address text not null,
  city text not null,
  district text not null,
  lat double precision,
  lng double precision,
  closed_at timestamptz,
  reassigned_to bigint references stores (id),
  created_at timestamptz not null,
  unique (chain, store_no)
);
create index stores_city_district on stores (city, district);

create table airport_counters (
  id bigint generated always as identity primary key,
  name text not null,
  created_at timestamptz not null
);

-- Partner API keys (pharmacy, store, airport counter): one row per key, SHA-256 of the key only.
create table partner_keys (
  key_hash bytea primary key,
  kind text not null check (kind in ('pharmacy', 'store', 'airport')),
  partner_ref text not null,
  created_at timestamptz not null,
  revoked_at timestamptz
);
create index partner_keys_ref on partner_keys (kind, partner_ref);

create table rounds (
  id bigint generated always as identity primary key,
  name text not null,
  registration_opens_at timestamptz not null,
  registration_closes_at timestamptz not null,
  payment_opens_at timestamptz not null,
  payment_closes_at timestamptz not null,
  pickup_starts_on date not null,
  pickup_ends_on date not null,
  supply_packs int not null check (supply_packs > 0),
  created_at timestamptz not null,
  check (registration_opens_at < registration_closes_at),
  check (registration_closes_at <= payment_opens_at),
  check (payment_opens_at < payment_closes_at),
  check (pickup_starts_on <= pickup_ends_on)
);

-- Append-only record of operator and partner actions.
create table audit_log (
  id bigint generated always as identity primary key,
  at timestamptz not null,
  actor_kind text not null check (actor_kind in ('admin', 'pharmacy', 'store', 'airport', 'citizen', 'system', 'bank')),
  actor_id text not null,
  action text not null,
  subject text,
  details jsonb not null default '{}'
);
create index audit_log_at on audit_log (at);

create function audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only';
end $$;
create trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_append_only();
