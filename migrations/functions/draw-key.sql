-- The lottery key of an order: SHA-256 of the seed bytes followed by the order id written in
-- decimal ASCII. Lowest keys win; ties (never seen in practice) go to the lower order id.
-- src/draw/lottery.ts computes the same in Node for verification (docs/DRAW.md).
create or replace function emask_draw_key(seed bytea, order_id bigint) returns bytea
language sql immutable strict parallel safe
return sha256(seed || convert_to(order_id::text, 'UTF8'));
