-- The draw writes no order row (issue 7, docs/DRAW.md "Scale"): rewriting millions of winning
-- orders (state + the unique, indexed virtual_account: a non-HOT update through every orders
-- index) was most of the draw's time. The winners of a drawn round are kept here instead, and
-- what a person, a payment or the statistics see is derived:
--   selected          = the order is a winner of its round (or, for rows written before this
--                       migration, its stored state says so);
--   state             = 'awaiting_payment' for a winner still stored as 'registered'; 'registered'
--                       in a drawn round reads as not_selected (src/orders/order-status.ts);
--                       paid and collected are still written per payment / collection;
--   virtual account   = emask_virtual_account(round, order) of a selected order: a pure function of
--                       the ids (src/rules/virtual-account.ts), so a bank notice finds its order by
--                       parsing the account (`parseVirtualAccount`) instead of an index look-up.
-- Written once per round by the draw, in id order, never updated. No foreign keys: the draw
-- writes millions of rows in one statement from the orders it has just read in the same
-- transaction, and neither orders nor rounds are ever deleted.
create table draw_winners (
  round_id bigint not null,
  order_id bigint not null,
  primary key (round_id, order_id)
);

-- The stored state of an order as it reads once its round's winners are known.
create function emask_order_state(p_state text, p_round_id bigint, p_order_id bigint) returns text
language sql stable parallel safe
return case
  when p_state = 'registered'
       and exists (select 1 from draw_winners w where w.round_id = p_round_id and w.order_id = p_order_id)
    then 'awaiting_payment'
  else p_state
end;

-- The personal virtual account of an order: the stored one (rows from before this migration) or,
-- for a selected order, the one derived from its ids; null for an order that was not selected.
create function emask_order_account(p_account text, p_state text, p_round_id bigint, p_order_id bigint)
returns text
language sql stable parallel safe
return coalesce(
  p_account,
  case when emask_order_state(p_state, p_round_id, p_order_id) in ('awaiting_payment', 'paid', 'collected')
    then emask_virtual_account(p_round_id, p_order_id) end);

-- The account is no longer stored (only rows from before this migration hold one, and those are
-- unique by construction: a function of the unique order id). Its unique index cost one more
-- index entry on every order insert and on every payment's (non-HOT) update.
alter table orders drop constraint orders_virtual_account_key;
