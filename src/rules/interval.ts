import { addDays, type Day, daysBetween } from './taipei-date.js';

/**
 * The purchase-interval rule across every channel (SPEC §3, §5; seeds [ORD 1, 21.5, 22, 23],
 * [v1 Q7–Q10]). Pure functions over a person's history.
 *
 * - An on-the-spot purchase (pharmacy, airport) on day D blocks days D … D+period−1.
 * - A paid eMask order counts as a purchase on the first pickup day, whichever day it is
 *   collected; if the person bought elsewhere less than `period` days before that day, it
 *   counts on (and can be collected from) the day they become eligible again.
 *   Worked examples of the seeds: no other purchase → counts 3/26, next purchase 4/2;
 *   pharmacy on 3/22 → collect from 3/29; pharmacy on 3/24 → collect from 3/31.
 *   Likewise when the person bought on the spot less than `period` days AFTER that day (an
 *   order paid after an on-the-spot purchase in its pickup window): it counts once they are
 *   eligible again, so purchases across channels always stay a period apart.
 * - Until the pickup window opens, a person with an order may still buy on the spot under
 *   the same rule; doing so moves the day the order counts on.
 */
export interface PaidOrder {
  orderId: number;
  pickupStartsOn: Day;
}

export interface History {
  /** Days of on-the-spot purchases (pharmacy, airport). */
  onSpot: readonly Day[];
  /** Orders that are paid (or collected). */
  paidOrders: readonly PaidOrder[];
}

function blockedUntil(days: readonly Day[], day: Day, period: number): Day | null {
  let until: Day | null = null;
  for (const d of days) {
    const end = addDays(d, period);
    if (d <= day && day < end && (until === null || end > until)) until = end;
  }
  return until;
}

/** First day on or after `from` not blocked by any of `days`. */
function firstFreeDay(days: readonly Day[], from: Day, period: number): Day {
  let day = from;
  for (let until = blockedUntil(days, day, period); until !== null; until = blockedUntil(days, day, period)) {
    day = until;
  }
  return day;
}

/**
 * First day on or after `from` at least `period` days away from every one of `days`, before
 * AND after it. A paid order cannot count on a day within a period BEFORE an existing
 * purchase either: that happens when an order is paid after the person already bought on the
 * spot during its pickup window (a round whose payment window overlaps its pickup window);
 * the order then counts on the day the person becomes eligible again, as [v1 Q10] says.
 * For histories where payment closes before pickup opens this equals `firstFreeDay`.
 */
function firstClearDay(days: readonly Day[], from: Day, period: number): Day {
  let day = from;
  for (;;) {
    let next: Day | null = null;
    for (const d of days) {
      if (Math.abs(daysBetween(d, day)) < period) {
        const end = addDays(d, period);
        if (next === null || end > next) next = end;
      }
    }
    if (next === null) return day;
    day = next;
  }
}

/** The day each paid order counts as a purchase (its `collectableFrom`). */
export function onlinePurchaseDays(history: History, period: number): Map<number, Day> {
  const result = new Map<number, Day>();
  const days = [...history.onSpot];
  const orders = [...history.paidOrders].sort((a, b) =>
    a.pickupStartsOn === b.pickupStartsOn
      ? a.orderId - b.orderId
      : a.pickupStartsOn < b.pickupStartsOn
        ? -1
        : 1,
  );
  for (const order of orders) {
    const day = firstClearDay(days, order.pickupStartsOn, period);
    result.set(order.orderId, day);
    days.push(day);
  }
  return result;
}

/** Every day that counts as a purchase: on-the-spot days and the days paid orders count on. */
export function purchaseDays(history: History, period: number): Day[] {
  return [...history.onSpot, ...onlinePurchaseDays(history, period).values()].sort();
}

/** Whether a new on-the-spot purchase is allowed on `day`; if not, the first day it is. */
export function eligibility(
  history: History,
  day: Day,
  period: number,
): { allowed: true } | { allowed: false; nextEligibleOn: Day } {
  const days = purchaseDays(history, period);
  const first = firstFreeDay(days, day, period);
  return first === day ? { allowed: true } : { allowed: false, nextEligibleOn: first };
}

/**
 * The "next date you may buy" of the purchase record ([ORD 7, 24.6]): counted from the latest
 * purchase up to `today` (or from today when there is none yet), skipping days that later
 * purchases block. Null for someone who has never bought.
 */
export function nextEligibleOn(history: History, today: Day, period: number): Day | null {
  const days = purchaseDays(history, period);
  if (days.length === 0) return null;
  const past = days.filter((d) => d <= today);
  const from = past.length > 0 ? addDays(past[past.length - 1] as Day, period) : today;
  return firstFreeDay(days, from, period);
}
