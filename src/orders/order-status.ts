import { pickupEndsAt, type RoundWindows } from '../rules/rounds.js';

/** What `orders.state` stores: what happened to the order (migration 0002). */
export type StoredOrderState = 'registered' | 'not_selected' | 'awaiting_payment' | 'paid' | 'collected';

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
   * row: a winner's `state` is read as `awaiting_payment` through `emask_order_state` (migration
   * 0050, docs/DRAW.md); an order still `registered` in a drawn round was not selected.
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
