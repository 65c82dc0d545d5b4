-- eMask pre-orders: one per person per round; a later submission replaces the earlier
-- (SPEC §5, seeds [ORD 1.2, 12]) because of the unique key, not because of a check in code.
-- Stored `state` holds what happened; the forfeited statuses are derived from time
-- (unpaid after the payment window, uncollected after the pickup window).
create table orders (
  id bigint generated always as identity primary key,
  round_id bigint not null references rounds (id),
  person_id bigint not null references persons (id),
  store_id bigint not null references stores (id),
  phone text not null,
  email text not null,
  channel text not null check (channel in ('web_card', 'web_certificate', 'app_phone', 'app_device', 'counter')),
  amount int not null check (amount > 0),
  state text not null default 'registered'
    check (state in ('registered', 'not_selected', 'awaiting_payment', 'paid', 'collected')),
  submitted_at timestamptz not null,
  updated_at timestamptz not null,
  virtual_account text unique,
  paid_at timestamptz,
  payment_method text check (payment_method in ('atm', 'card')),
  pickup_serial text unique,
  collected_at timestamptz,
  unique (round_id, person_id)
);
create index orders_person on orders (person_id);
create index orders_store on orders (store_id);

-- Purchases made on the spot (pharmacy, airport). Online purchases are derived from paid
-- orders, because the day they count on depends on later pharmacy purchases (SPEC §5, [v1 Q10]).
create table purchases (
  id bigint generated always as identity primary key,
  person_id bigint references persons (id),
  -- travellers without an NHI card or ARC are tracked by passport number (SPEC §6)
  passport_no text,
  channel text not null check (channel in ('pharmacy', 'airport')),
  place_ref text not null,
  place_name text not null,
  item text not null check (item in ('adult', 'child')),
  packs int not null check (packs > 0),
  masks int not null check (masks > 0),
  amount int not null check (amount >= 0),
  currency text not null default 'TWD' check (currency in ('TWD', 'USD')),
  purchased_at timestamptz not null,
  purchased_on date not null,
  check (person_id is not null or passport_no is not null)
);
create index purchases_person on purchases (person_id, purchased_on desc) where person_id is not null;
create index purchases_passport on purchases (passport_no, purchased_on desc) where passport_no is not null;

-- Durable outbox: written in the same transaction as the state change it reports,
-- delivered by a worker. `dedupe_key` makes enqueuing the same message twice a no-op.
create table outbox (
  id bigint generated always as identity primary key,
  channel text not null check (channel in ('email', 'sms')),
  recipient text not null,
  sender text not null,
  subject text,
  body text not null,
  dedupe_key text not null unique,
  created_at timestamptz not null,
  attempts int not null default 0,
  next_attempt_at timestamptz not null,
  last_error text,
  sent_at timestamptz
);
create index outbox_pending on outbox (next_attempt_at) where sent_at is null;
