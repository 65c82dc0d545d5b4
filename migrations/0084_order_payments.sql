-- A payment writes no order row (issue 7 (f), bench/RESULTS.md): paying used to rewrite the wide
-- order row (sealed phone and e-mail) with state, time, method and the unique, indexed pickup
-- serial — a non-HOT update through every index of `orders`, seven WAL records per payment, most
-- of a bank notice's cost. As the draw did with `draw_winners` (migration 0050), a payment is now
-- one narrow insert-only row, and the paid state is derived from it:
--   paid       = the order has a payment row and is not stored as collected;
--   collected  = still written on the order by the pickup (one per order, at the store).
-- The primary key makes an order payable once: a bank notice and a card payment racing for one
-- order both insert, the second waits on the first's key and inserts nothing.
create table order_payments (
  order_id bigint primary key,
  pickup_serial text not null unique,
  method text not null check (method in ('atm', 'card')),
  paid_at timestamptz not null
);

-- Payments made before this migration move here; their orders keep the selected state they had.
insert into order_payments (order_id, pickup_serial, method, paid_at)
select id, pickup_serial, payment_method, paid_at from orders where pickup_serial is not null;
update orders set state = 'awaiting_payment' where state = 'paid';

alter table orders drop column pickup_serial, drop column paid_at, drop column payment_method;
-- `paid` is never stored any more: only derived from `order_payments`.
alter table orders drop constraint orders_state_check;
alter table orders add constraint orders_state_check
  check (state in ('registered', 'not_selected', 'awaiting_payment', 'collected'));
-- No foreign key, as for draw_winners: the payment is written by the transaction that has just
-- read the order, and orders are never deleted.

-- The stored state of an order as it reads once its round's winners and its payment are known.
-- Each probe is a scalar subquery, not EXISTS: the planner may run an EXISTS over many rows as one
-- hashed scan of the whole probed table (AlternativeSubPlan), which it chose for a bank-notice
-- batch of 1,000 orders while `order_payments` was still small by its statistics — then a scan of
-- every payment per batch. A scalar subquery is always the index probe.
create or replace function emask_order_state(p_state text, p_round_id bigint, p_order_id bigint) returns text
language sql stable parallel safe
return case
  when p_state in ('registered', 'awaiting_payment')
       and (select true from order_payments p where p.order_id = p_order_id)
    then 'paid'
  when p_state = 'registered'
       and (select true from draw_winners w where w.round_id = p_round_id and w.order_id = p_order_id)
    then 'awaiting_payment'
  else p_state
end;
