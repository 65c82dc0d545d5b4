import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  eligibility,
  type History,
  nextEligibleOn,
  onlinePurchaseDays,
  type PaidOrder,
  purchaseDays,
} from './interval.js';
import { addDays, daysBetween } from './taipei-date.js';

const order = { orderId: 1, pickupStartsOn: '2020-03-26' };

describe('interval rule: the worked examples of the seeds (SPEC §5, [v1 Q8, Q10], [ORD 21.5])', () => {
  it('registered 3/12–3/18 and paid: counts on 3/26, next purchase from 4/2', () => {
    const h = { onSpot: [], paidOrders: [order] };
    expect(onlinePurchaseDays(h, 7).get(1)).toBe('2020-03-26');
    expect(nextEligibleOn(h, '2020-03-27', 7)).toBe('2020-04-02');
    expect(eligibility(h, '2020-04-01', 7)).toEqual({ allowed: false, nextEligibleOn: '2020-04-02' });
    expect(eligibility(h, '2020-04-02', 7)).toEqual({ allowed: true });
  });

  it('paid 3/20, pharmacy on 3/22: collect from 3/29', () => {
    const h = { onSpot: ['2020-03-22'], paidOrders: [order] };
    expect(onlinePurchaseDays(h, 7).get(1)).toBe('2020-03-29');
  });

  it('pharmacy on 3/24: collect from 3/31', () => {
    const h = { onSpot: ['2020-03-24'], paidOrders: [order] };
    expect(onlinePurchaseDays(h, 7).get(1)).toBe('2020-03-31');
  });

  it('with an order paid, the pharmacy still sells before pickup opens under the 7-day rule ([ORD 22, 23])', () => {
    const h = { onSpot: ['2020-03-14'], paidOrders: [order] };
    expect(eligibility(h, '2020-03-20', 7)).toEqual({ allowed: false, nextEligibleOn: '2020-03-21' });
    expect(eligibility(h, '2020-03-21', 7)).toEqual({ allowed: true });
    expect(eligibility(h, '2020-03-26', 7)).toEqual({ allowed: false, nextEligibleOn: '2020-04-02' });
  });
});

/* ---------------------------------------------------------------------------------------------
 * Properties (fast-check). Histories are built the way the platform builds them: each
 * on-the-spot purchase was allowed on its day by `eligibility` over the history before it.
 * ------------------------------------------------------------------------------------------- */

const BASE = '2020-03-01';
const period = fc.constantFrom(7, 14, 1, 3, 10);
const offset = fc.integer({ min: 0, max: 120 });
const pickupOffsets = fc.array(offset, { maxLength: 4 });
const purchaseAttempts = fc.array(offset, { maxLength: 12 });

interface Built {
  history: History;
  period: number;
}

/** Replays attempted on-the-spot purchases in day order, keeping only those the rule allows. */
function build(p: number, pickups: number[], attempts: number[]): Built {
  const paidOrders: PaidOrder[] = pickups.map((o, i) => ({
    orderId: i + 1,
    pickupStartsOn: addDays(BASE, o),
  }));
  const onSpot: string[] = [];
  for (const a of [...attempts].sort((x, y) => x - y)) {
    const d = addDays(BASE, a);
    if (eligibility({ onSpot, paidOrders }, d, p).allowed) onSpot.push(d);
  }
  return { history: { onSpot, paidOrders }, period: p };
}

const built = fc.tuple(period, pickupOffsets, purchaseAttempts).map(([p, o, a]) => build(p, o, a));

/**
 * Histories where orders may have been paid after on-the-spot purchases made during their
 * pickup window: on-the-spot days a period apart, pickup days anywhere.
 */
const outOfOrder = fc
  .tuple(period, pickupOffsets, fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 8 }))
  .map(([p, pickups, gaps]): Built => {
    const onSpot: string[] = [];
    let at = 0;
    for (const g of gaps) {
      at += p + g;
      onSpot.push(addDays(BASE, at - p));
    }
    const paidOrders = pickups.map((o, i) => ({ orderId: i + 1, pickupStartsOn: addDays(BASE, o) }));
    return { history: { onSpot, paidOrders }, period: p };
  });
const anyDay = offset.map((o) => addDays(BASE, o - 10));

/** The direct statement of the rule: a day is free when no purchase day d has d ≤ day < d + period. */
function freeByDefinition(days: readonly string[], d: string, p: number): boolean {
  return days.every((x) => !(x <= d && d < addDays(x, p)));
}

describe('interval rule: properties', () => {
  it('eligibility agrees with the definition, and a refusal names the first free day after it', () => {
    fc.assert(
      fc.property(built, anyDay, ({ history, period: p }, d) => {
        const days = purchaseDays(history, p);
        const result = eligibility(history, d, p);
        expect(result.allowed).toBe(freeByDefinition(days, d, p));
        if (!result.allowed) {
          expect(result.nextEligibleOn > d).toBe(true);
          expect(freeByDefinition(days, result.nextEligibleOn, p)).toBe(true);
          for (let x = addDays(d, 1); x < result.nextEligibleOn; x = addDays(x, 1)) {
            expect(freeByDefinition(days, x, p)).toBe(false);
          }
        }
      }),
    );
  });

  it('every two purchases of a history the rule built are at least one period apart, across channels', () => {
    fc.assert(
      fc.property(built, ({ history, period: p }) => {
        const days = purchaseDays(history, p);
        for (let i = 1; i < days.length; i++) {
          expect(daysBetween(days[i - 1] as string, days[i] as string)).toBeGreaterThanOrEqual(p);
        }
      }),
    );
  });

  it('a paid order counts on its first pickup day, or on the first day it is free after it (never earlier)', () => {
    fc.assert(
      fc.property(fc.oneof(built, outOfOrder), ({ history, period: p }) => {
        const online = onlinePurchaseDays(history, p);
        expect(online.size).toBe(history.paidOrders.length);
        for (const order of history.paidOrders) {
          const day = online.get(order.orderId) as string;
          expect(day >= order.pickupStartsOn).toBe(true);
          if (day > order.pickupStartsOn) {
            // pushed back: the day before was still within a period of another purchase
            const others = purchaseDays(history, p).filter((x) => x !== day);
            expect(others.some((x) => Math.abs(daysBetween(x, addDays(day, -1))) < p)).toBe(true);
          }
        }
      }),
    );
  });

  it('an order paid after an on-the-spot purchase inside its pickup window counts a full period later (bug fix)', () => {
    // a round whose payment window overlaps its pickup window: pharmacy on 3/27, order paid on 3/28
    const h = { onSpot: ['2020-03-27'], paidOrders: [order] };
    expect(onlinePurchaseDays(h, 7).get(1)).toBe('2020-04-03');
    expect(eligibility(h, '2020-03-28', 7)).toEqual({ allowed: false, nextEligibleOn: '2020-04-10' });
  });

  it('whatever order purchases and payments came in, purchases stay a period apart', () => {
    fc.assert(
      fc.property(outOfOrder, ({ history, period: p }) => {
        const days = purchaseDays(history, p);
        for (let i = 1; i < days.length; i++) {
          expect(daysBetween(days[i - 1] as string, days[i] as string)).toBeGreaterThanOrEqual(p);
        }
      }),
    );
  });

  it('after a purchase on day D the next is allowed from D + period, not before', () => {
    fc.assert(
      fc.property(period, offset, (p, o) => {
        const d = addDays(BASE, o);
        const h: History = { onSpot: [d], paidOrders: [] };
        for (let i = 0; i < p; i++) {
          expect(eligibility(h, addDays(d, i), p)).toEqual({ allowed: false, nextEligibleOn: addDays(d, p) });
        }
        expect(eligibility(h, addDays(d, p), p)).toEqual({ allowed: true });
        expect(nextEligibleOn(h, d, p)).toBe(addDays(d, p));
      }),
    );
  });

  it('a purchase on an allowed day makes that day and the rest of its period refuse, with the same next date', () => {
    fc.assert(
      fc.property(built, anyDay, ({ history, period: p }, d) => {
        fc.pre(eligibility(history, d, p).allowed);
        const after: History = { ...history, onSpot: [...history.onSpot, d] };
        const again = eligibility(after, d, p);
        expect(again.allowed).toBe(false);
        const next = nextEligibleOn(after, d, p);
        expect(next).not.toBeNull();
        expect((next as string) >= addDays(d, p)).toBe(true);
        if (!again.allowed) expect(again.nextEligibleOn).toBe(next);
      }),
    );
  });

  it('nextEligibleOn is null only without purchases, and otherwise a day the rule allows', () => {
    fc.assert(
      fc.property(built, anyDay, ({ history, period: p }, today) => {
        const next = nextEligibleOn(history, today, p);
        if (purchaseDays(history, p).length === 0) {
          expect(next).toBeNull();
        } else {
          expect(next).not.toBeNull();
          expect(eligibility(history, next as string, p)).toEqual({ allowed: true });
        }
      }),
    );
  });

  it('the order of the history does not matter', () => {
    fc.assert(
      fc.property(built, anyDay, ({ history, period: p }, d) => {
        const shuffled: History = {
          onSpot: [...history.onSpot].reverse(),
          paidOrders: [...history.paidOrders].reverse(),
        };
        expect(eligibility(shuffled, d, p)).toEqual(eligibility(history, d, p));
        expect(purchaseDays(shuffled, p)).toEqual(purchaseDays(history, p));
        expect(nextEligibleOn(shuffled, d, p)).toEqual(nextEligibleOn(history, d, p));
      }),
    );
  });

  it('a 14-day programme works the same way with its own period', () => {
    const h = { onSpot: [], paidOrders: [order] };
    expect(nextEligibleOn(h, '2020-03-27', 14)).toBe('2020-04-09');
    expect(onlinePurchaseDays({ onSpot: ['2020-03-22'], paidOrders: [order] }, 14).get(1)).toBe('2020-04-05');
  });
});
