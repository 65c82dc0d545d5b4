-- Personal virtual account of an order: '960' + round id mod 1000 (3 digits) + order id
-- (9 digits) + check digit with weights 7,3,1,… from the left, C = (10 − sum mod 10) mod 10.
-- Mirrors src/rules/virtual-account.ts (src/draw/draw.test.ts "SQL and TypeScript agree").
create or replace function emask_virtual_account(round_id bigint, order_id bigint) returns text
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
