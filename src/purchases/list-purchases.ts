import type { Deps } from '../platform/deps.js';
import { nextEligibleOn, onlinePurchaseDays } from '../rules/interval.js';
import type { Item } from '../rules/programme.js';
import { taipeiDay } from '../rules/taipei-date.js';
import { loadHistory } from './history.repo.js';
import { loadProgramme } from './programme.repo.js';
import { onSpotPurchasesOf, paidOrderStoresOf } from './purchases.repo.js';

export interface PurchaseRecordEntry {
  date: string;
  channel: 'pharmacy' | 'online' | 'airport';
  place: string;
  item: Item;
  /** Masks, not packs (API.md counts stock in masks; an order is one adult pack). */
  quantity: number;
}

export interface PurchaseRecord {
  purchases: PurchaseRecordEntry[];
  nextEligibleOn: string | null;
}

/**
 * A person's purchase record across every channel (SPEC §7, [ORD 7, 20, 24.6]), newest first,
 * and the next day they may buy. A paid eMask order appears on the day it counts as a purchase
 * (its round's first pickup day, or later when a pharmacy purchase pushed it, [v1 Q10]) once
 * that day has come, with the pickup store as its place; orders not yet paid are not purchases.
 */
export async function listPurchases(input: { personId: number }, deps: Deps): Promise<PurchaseRecord> {
  const today = taipeiDay(deps.clock.now());
  // One consistent snapshot: the record and the next date are computed from the same history.
  return deps.sql.begin('isolation level repeatable read read only', async (tx) => {
    const [programme, history, onSpot, orders] = await Promise.all([
      loadProgramme(tx),
      loadHistory(tx, input.personId),
      onSpotPurchasesOf(tx, input.personId),
      paidOrderStoresOf(tx, input.personId),
    ]);
    const onlineDays = onlinePurchaseDays(history, programme.periodDays);
    const entries: PurchaseRecordEntry[] = onSpot.map((p) => ({
      date: p.day,
      channel: p.channel,
      place: p.place,
      item: p.item,
      quantity: p.masks,
    }));
    for (const order of orders) {
      const date = onlineDays.get(order.orderId);
      if (date === undefined || date > today) continue;
      entries.push({
        date,
        channel: 'online',
        place: order.store,
        item: 'adult',
        quantity: programme.adultPackSize,
      });
    }
    // Stable sort: same-day on-the-spot purchases keep their newest-first order.
    entries.sort((a, b) => (a.date === b.date ? 0 : a.date < b.date ? 1 : -1));
    return { purchases: entries, nextEligibleOn: nextEligibleOn(history, today, programme.periodDays) };
  });
}
