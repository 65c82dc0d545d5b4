import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ORDER_STATUSES, orderStatus, type StoredOrderState } from './order-status.js';

const round = {
  paymentClosesAt: new Date('2020-03-25T20:00:00+08:00'),
  pickupEndsOn: '2020-04-01',
};
const at = (iso: string) => new Date(iso);

describe('order status', () => {
  it('derives the forfeited statuses from the windows', () => {
    const awaiting = { state: 'awaiting_payment' as const, roundDrawn: true };
    expect(orderStatus(awaiting, round, at('2020-03-25T19:59:59+08:00'))).toBe('awaiting_payment');
    expect(orderStatus(awaiting, round, at('2020-03-25T20:00:00+08:00'))).toBe('forfeited_unpaid');
    const paid = { state: 'paid' as const, roundDrawn: true };
    expect(orderStatus(paid, round, at('2020-04-01T23:59:59+08:00'))).toBe('paid');
    expect(orderStatus(paid, round, at('2020-04-02T00:00:00+08:00'))).toBe('forfeited_uncollected');
    expect(orderStatus({ state: 'collected', roundDrawn: true }, round, at('2030-01-01T00:00:00Z'))).toBe(
      'collected',
    );
  });

  it('reads a registered order of a drawn round as not selected', () => {
    const now = at('2020-03-20T00:00:00+08:00');
    expect(orderStatus({ state: 'registered', roundDrawn: false }, round, now)).toBe('registered');
    expect(orderStatus({ state: 'registered', roundDrawn: true }, round, now)).toBe('not_selected');
    expect(orderStatus({ state: 'not_selected', roundDrawn: true }, round, now)).toBe('not_selected');
  });

  it('is always one of the seven statuses, and time only moves it forward', () => {
    const states: StoredOrderState[] = [
      'registered',
      'not_selected',
      'awaiting_payment',
      'paid',
      'collected',
    ];
    const rank = (s: string) => (s.startsWith('forfeited') ? 1 : 0);
    fc.assert(
      fc.property(
        fc.constantFrom(...states),
        fc.boolean(),
        fc.date({ min: at('2020-01-01T00:00:00Z'), max: at('2020-06-01T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 90 * 24 * 3600 * 1000 }),
        (state, roundDrawn, t1, later) => {
          const t2 = new Date(t1.getTime() + later);
          const s1 = orderStatus({ state, roundDrawn }, round, t1);
          const s2 = orderStatus({ state, roundDrawn }, round, t2);
          expect(ORDER_STATUSES).toContain(s1);
          expect(rank(s2)).toBeGreaterThanOrEqual(rank(s1));
        },
      ),
    );
  });
});
