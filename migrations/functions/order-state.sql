-- The derived state of an order (docs/ARCHITECTURE.md#order-lifecycle). Neither the draw nor a
-- payment writes the order row: the draw writes `draw_winners` (migration 0050), a payment writes
-- `order_payments` (migration 0084). What an order reads as is derived here:
--   paid             = stored 'registered' or 'awaiting_payment' with a payment row;
--   awaiting_payment = stored 'registered', a winner of its round's draw (or stored so: rows from
--                      before 0050, and paid rows moved by 0084);
--   otherwise the stored state ('registered', 'not_selected', 'awaiting_payment', 'collected').
-- Mirrored by `orderState` in src/orders/order-status.ts, and written out (not called, for speed)
-- by `orderStateWrittenOut` in src/orders/orders.repo.ts for the bank-notice batch;
-- src/orders/order-state-agrees.test.ts proves the three agree.
--
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

-- The personal virtual account of an order: the stored one (rows from before migration 0050) or,
-- for a selected order, the one derived from its ids; null for an order that was not selected.
create or replace function emask_order_account(p_account text, p_state text, p_round_id bigint, p_order_id bigint)
returns text
language sql stable parallel safe
return coalesce(
  p_account,
  case when emask_order_state(p_state, p_round_id, p_order_id) in ('awaiting_payment', 'paid', 'collected')
    then emask_virtual_account(p_round_id, p_order_id) end);
