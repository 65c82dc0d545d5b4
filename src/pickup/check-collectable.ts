import type { Db } from '../platform/db.js';
import { loadHistory } from '../purchases/history.repo.js';
import { loadProgramme } from '../purchases/programme.repo.js';
import { onlinePurchaseDays } from '../rules/interval.js';
import { taipeiDay } from '../rules/taipei-date.js';
import type { PickupOrder } from './pickup.repo.js';
import { collectionRefusal } from './pickup-rules.js';

/**
 * Throws the refusal (WRONG_STORE, ALREADY_COLLECTED, FORFEITED, OUTSIDE_PICKUP_WINDOW,
 * NOT_YET_ELIGIBLE + collectableFrom) when `order` cannot be handed over at `storeId` now.
 * The day the order counts as a purchase comes from the person's whole history (interval rule,
 * SPEC §5 [v1 Q8, Q10]); call it after `lockPerson` when the hand-over follows.
 */
export async function assertCollectable(
  db: Db,
  order: PickupOrder,
  storeId: number,
  now: Date,
): Promise<void> {
  const today = taipeiDay(now);
  let collectableFrom: string | undefined;
  if (order.storeId === storeId && order.state === 'paid') {
    const [history, programme] = await Promise.all([loadHistory(db, order.personId), loadProgramme(db)]);
    collectableFrom = onlinePurchaseDays(history, programme.periodDays).get(order.id);
  }
  const refusal = collectionRefusal(order, storeId, today, collectableFrom);
  if (refusal) throw refusal;
}
