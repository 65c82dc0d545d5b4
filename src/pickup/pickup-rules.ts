import { AppError } from '../platform/errors.js';
import type { Day } from '../rules/taipei-date.js';

export interface CollectableOrder {
  storeId: number;
  state: 'registered' | 'not_selected' | 'awaiting_payment' | 'paid' | 'collected';
  pickupStartsOn: Day;
  pickupEndsOn: Day;
  store: { id: number; chain: string; storeNo: string; name: string; address: string };
}

/**
 * Why an order cannot be handed over at `storeId` on `today`, or null (SPEC §5, seeds [ORD 5,
 * 24.3, 24.9, 24.10; v1 Q8, Q10]). Checked in this order:
 * - another store holds it (the chosen store cannot be changed)     → 422 WRONG_STORE (+store)
 * - it was collected already                                         → 409 ALREADY_COLLECTED
 * - the pickup window has passed: given up, no refund                → 409 FORFEITED
 * - the pickup window has not opened                                 → 409 OUTSIDE_PICKUP_WINDOW
 * - a purchase elsewhere less than a period ago: collectable from the
 *   day the person is eligible again (interval rule)                 → 409 NOT_YET_ELIGIBLE (+collectableFrom)
 * Pure.
 */
export function collectionRefusal(
  order: CollectableOrder,
  storeId: number,
  today: Day,
  collectableFrom: Day | undefined,
): AppError | null {
  if (order.storeId !== storeId) {
    return new AppError('WRONG_STORE', 'This order is to be collected at another store.', {
      store: order.store,
    });
  }
  if (order.state === 'collected') {
    return new AppError('ALREADY_COLLECTED', 'This order has already been collected.');
  }
  const window = { pickupStartsOn: order.pickupStartsOn, pickupEndsOn: order.pickupEndsOn };
  if (order.state !== 'paid' || today > order.pickupEndsOn) {
    return new AppError(
      'FORFEITED',
      'The pickup window has passed: an order not collected in time is given up, without refund.',
      window,
    );
  }
  if (today < order.pickupStartsOn) {
    return new AppError('OUTSIDE_PICKUP_WINDOW', `Pickup opens on ${order.pickupStartsOn}.`, window);
  }
  if (collectableFrom !== undefined && today < collectableFrom) {
    return new AppError(
      'NOT_YET_ELIGIBLE',
      `A purchase elsewhere less than a period ago: this order can be collected from ${collectableFrom}.`,
      { collectableFrom, ...window },
    );
  }
  return null;
}

/**
 * What a clerk sees of the buyer's name: 王小明 → 王○明, 王明 → 王○, John Smith → J*** S****.
 */
export function maskName(name: string): string {
  const trimmed = name.trim();
  if (/\s/.test(trimmed)) {
    return trimmed
      .split(/\s+/)
      .map((word) => {
        const chars = [...word];
        return `${chars[0] ?? ''}${'*'.repeat(Math.max(chars.length - 1, 0))}`;
      })
      .join(' ');
  }
  const chars = [...trimmed];
  if (chars.length <= 1) return '○';
  if (chars.length === 2) return `${chars[0]}○`;
  return `${chars[0]}${'○'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}
