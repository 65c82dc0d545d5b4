-- Payments of selected eMask orders (SPEC §5, seeds [ORD 2, 2.1, 24.4, 24.5, 24.7, 24.8]).

-- Every notice the bank sent about a transfer into a personal virtual account, kept whether or
-- not it paid an order: money sent to a wrong account, of a wrong amount or outside the payment
-- window is not refunded [ORD 24.5] but stays here as an unmatched transfer for reconciliation.
-- The notice id is the bank's: a replayed notice finds its row and gets the first outcome.
create table bank_notices (
  notice_id text primary key,
  -- fingerprint of the notice's content: the same id with other content is refused
  fingerprint text not null,
  to_account text not null,
  amount int not null check (amount >= 0),
  transferred_at timestamptz not null,
  received_at timestamptz not null,
  -- null only inside the transaction that is applying the notice
  matched boolean,
  reason text check (reason in ('unknown_account', 'amount_mismatch', 'outside_payment_window',
                                'already_paid', 'not_awaiting_payment')),
  order_id bigint references orders (id),
  check (matched is null or matched = (reason is null)),
  check (not matched or order_id is not null)
);
create index bank_notices_unmatched on bank_notices (received_at) where not matched;
create index bank_notices_order on bank_notices (order_id) where order_id is not null;

-- Card payments through the card gateway. Never the card number: its last 4 digits and brand.
create table card_payments (
  id bigint generated always as identity primary key,
  order_id bigint not null unique references orders (id),
  amount int not null check (amount > 0),
  card_brand text not null,
  card_last4 char(4) not null check (card_last4 ~ '^[0-9]{4}$'),
  authorization_id text not null,
  paid_at timestamptz not null
);
