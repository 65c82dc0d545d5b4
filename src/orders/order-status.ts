import { pickupEndsAt, type RoundWindows } from '../rules/rounds.js';

/**
 * The state an order reads as: what `orders.state` stores (`RecordedOrderState`), with `paid` and a
 * winner's `awaiting_payment` derived by `emask_order_state` (migrations/functions/order-state.sql;
 * `orderState` below in TypeScript). docs/ARCHITECTURE.md#order-lifecycle.
 */
export type StoredOrderState = 'registered' | 'not_selected' | 'awaiting_payment' | 'paid' | 'collected';

/**
 * What the `orders.state` column holds: `registered` when placed, `collected` when picked up;
 * `not_selected` and `awaiting_payment` only on rows written before the draw stopped writing
 * orders (and `awaiting_payment` on rows paid before payments got rows of their own).
 */
export type RecordedOrderState = Exclude<StoredOrderState, 'paid'>;

/** What is recorded of an order: its stored state and the rows the draw and a payment write for it. */
export interface OrderRecord {
  stored: RecordedOrderState;
  /** A `draw_winners` row of its round. */
  won: boolean;
  /** An `order_payments` row. */
  paid: boolean;
  /** A virtual account stored on the row (only rows from before `draw_winners`). */
  accountStored: boolean;
}

/**
 * The state an order reads as: `emask_order_state` (migrations/functions/order-state.sql) in
 * TypeScript, the statement of the order lifecycle (docs/ARCHITECTURE.md#order-lifecycle).
 * src/orders/order-state-agrees.test.ts proves it, the SQL function and the bank-notice batch's
 * written-out derivation agree.
 */
export function orderState(order: Omit<OrderRecord, 'accountStored'>): StoredOrderState {
  if ((order.stored === 'registered' || order.stored === 'awaiting_payment') && order.paid) return 'paid';
  if (order.stored === 'registered' && order.won) return 'awaiting_payment';
  return order.stored;
}

/** Whether the order has a personal virtual account: `emask_order_account(…) is not null`. */
export function orderSelected(order: OrderRecord): boolean {
  return order.accountStored || ['awaiting_payment', 'paid', 'collected'].includes(orderState(order));
}

/** The status a person sees (API.md "Order status"). */
export type OrderStatus =
  | 'registered'
  | 'not_selected'
  | 'awaiting_payment'
  | 'paid'
  | 'collected'
  | 'forfeited_unpaid'
  | 'forfeited_uncollected';

export const ORDER_STATUSES: readonly OrderStatus[] = [
  'registered',
  'not_selected',
  'awaiting_payment',
  'paid',
  'collected',
  'forfeited_unpaid',
  'forfeited_uncollected',
];

export interface OrderStatusInput {
  state: StoredOrderState;
  /**
   * Whether the round's draw has run (`rounds.drawn_at is not null`). The draw writes no order
   * row: a winner's `state` is read as `awaiting_payment` through `emask_order_state`
   * (migrations/functions/order-state.sql, docs/DRAW.md); an order still `registered` in a drawn
   * round was not selected.
   */
  roundDrawn: boolean;
}

/**
 * The status of an order at `now`, derived from what is stored and the round's windows
 * (SPEC §5): unpaid when the payment window closes = given up, no late payment [ORD 24.4];
 * paid but not collected by the end of the pickup window = given up, no refund [ORD 5, 24.3].
 * Pure: the same inputs always give the same status.
 */
export function orderStatus(
  order: OrderStatusInput,
  round: Pick<RoundWindows, 'paymentClosesAt' | 'pickupEndsOn'>,
  now: Date,
): OrderStatus {
  switch (order.state) {
    case 'collected':
      return 'collected';
    case 'paid':
      return now.getTime() >= pickupEndsAt(round).getTime() ? 'forfeited_uncollected' : 'paid';
    case 'awaiting_payment':
      return now.getTime() >= round.paymentClosesAt.getTime() ? 'forfeited_unpaid' : 'awaiting_payment';
    case 'not_selected':
      return 'not_selected';
    case 'registered':
      return order.roundDrawn ? 'not_selected' : 'registered';
  }
}
