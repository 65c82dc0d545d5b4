-- Identity (SPEC §2): NHI online-service registration, app passwords, bound devices and
-- one-time device codes. Sessions (0001) already carry the channel a person signed in with.

-- NHI online-service registration (健保卡網路服務註冊) of one card: the registration password,
-- scrypt-hashed. Registering again replaces the password [ID 3]. Tied to the card, so a
-- reissued card must be registered anew and the revoked card cannot sign in at all.
create table card_registrations (
  card_no char(12) primary key references cards (card_no),
  password_hash text not null,
  registered_at timestamptz not null,
  updated_at timestamptz not null
);

-- The password set in the app (phone check or counter registration); authenticating again
-- sets a new one [ID 2, 3]. One per person.
create table app_passwords (
  person_id bigint primary key references persons (id),
  password_hash text not null,
  updated_at timestamptz not null
);

-- Phones bound to a person: the app holds the Ed25519 private key, we keep the SPKI public
-- key. `channel` records how it was bound; device logins of an `app_phone` device get the
-- app_phone channel, every other binding (device code, counter) signs in as app_device.
create table devices (
  id bigint generated always as identity primary key,
  person_id bigint not null references persons (id),
  public_key_pem text not null,
  channel text not null check (channel in ('app_phone', 'app_device', 'counter')),
  phone text check (phone ~ '^09[0-9]{8}$'),
  bound_at timestamptz not null,
  bound_by text,
  revoked_at timestamptz
);
create index devices_person on devices (person_id);

-- Device codes (裝置碼, [ID 14]): only a SHA-256 of the digits is kept. Single use, short-lived.
create table device_codes (
  code_hash bytea primary key,
  person_id bigint not null references persons (id),
  created_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz,
  device_id bigint references devices (id),
  check (expires_at > created_at)
);
create index device_codes_person on device_codes (person_id);
