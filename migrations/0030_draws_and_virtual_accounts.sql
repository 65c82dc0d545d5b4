-- eMask draw (SPEC §5, seeds [ORD 24.1 note, 24.4]): one verifiable lottery per round, run once.
-- docs/DRAW.md explains the algorithm and how anyone can re-run it.

-- Set in the draw's transaction while it holds the round row FOR UPDATE. Ordering reads the
-- round row FOR KEY SHARE and refuses once this is set, so no order can slip in after the draw
-- took its snapshot (an order waiting on the lock re-reads the row and sees drawn_at).
alter table rounds add column drawn_at timestamptz;

create table draws (
  round_id bigint primary key references rounds (id),
  -- lower-case hex, as published; its bytes are the hex decoded (left-padded with 0 to even length)
  seed text not null check (seed ~ '^[0-9a-f]+$'),
  algorithm text not null,
  supply_packs int not null check (supply_packs > 0),
  orders int not null check (orders >= 0),
  selected int not null check (selected >= 0 and selected <= orders and selected <= supply_packs),
  drawn_at timestamptz not null,
  drawn_by text not null
);

-- The lottery key of an order: SHA-256 of the seed bytes followed by the order id written in
-- decimal ASCII. Lowest keys win; ties (never seen in practice) go to the lower order id.
-- src/draw/lottery.ts computes the same in Node for verification.
create function emask_draw_key(seed bytea, order_id bigint) returns bytea
language sql immutable strict parallel safe
return sha256(seed || convert_to(order_id::text, 'UTF8'));

-- Personal virtual account of an order: '960' + round id mod 1000 (3 digits) + order id
-- (9 digits) + check digit with weights 7,3,1,… from the left, C = (10 − sum mod 10) mod 10.
-- Mirrors src/rules/virtual-account.ts (a test proves they agree).
create function emask_virtual_account(round_id bigint, order_id bigint) returns text
language plpgsql immutable strict parallel safe as $$
declare
  body text;
  s int := 0;
  w int[] := array[7, 3, 1];
begin
  if round_id < 0 or order_id < 0 or order_id > 999999999 then
    raise exception 'virtual account out of range (round %, order %)', round_id, order_id;
  end if;
  body := '960' || lpad((round_id % 1000)::text, 3, '0') || lpad(order_id::text, 9, '0');
  for i in 1..15 loop
    s := s + (ascii(substr(body, i, 1)) - 48) * w[(i - 1) % 3 + 1];
  end loop;
  return body || ((10 - s % 10) % 10)::text;
end $$;
