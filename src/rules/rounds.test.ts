import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pickupEndsAt, roundState, windowProblems } from './rounds.js';

const round1 = {
  registrationOpensAt: new Date('2020-03-12T09:00:00+08:00'),
  registrationClosesAt: new Date('2020-03-18T20:00:00+08:00'),
  paymentOpensAt: new Date('2020-03-19T09:00:00+08:00'),
  paymentClosesAt: new Date('2020-03-25T20:00:00+08:00'),
  pickupStartsOn: '2020-03-26',
  pickupEndsOn: '2020-04-01',
};

describe('round state', () => {
  it('follows the timeline of round 1 (SPEC §5)', () => {
    const at = (iso: string) => roundState(round1, new Date(iso));
    expect(at('2020-03-12T08:59:59+08:00')).toBe('upcoming');
    expect(at('2020-03-12T09:00:00+08:00')).toBe('registration');
    expect(at('2020-03-18T19:59:59+08:00')).toBe('registration');
    expect(at('2020-03-18T20:00:00+08:00')).toBe('drawing');
    expect(at('2020-03-19T09:00:00+08:00')).toBe('payment');
    expect(at('2020-03-25T20:00:00+08:00')).toBe('pickup');
    expect(at('2020-04-01T23:59:59+08:00')).toBe('pickup');
    expect(at('2020-04-02T00:00:00+08:00')).toBe('closed');
    expect(pickupEndsAt(round1).toISOString()).toBe('2020-04-01T16:00:00.000Z');
  });

  it('never goes back as time moves forward', () => {
    const order = ['upcoming', 'registration', 'drawing', 'payment', 'pickup', 'closed'];
    const t0 = new Date('2020-03-01T00:00:00Z').getTime();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 * 86400 }),
        fc.integer({ min: 0, max: 60 * 86400 }),
        (a, b) => {
          const [x, y] = [Math.min(a, b), Math.max(a, b)];
          const sx = order.indexOf(roundState(round1, new Date(t0 + x * 1000)));
          const sy = order.indexOf(roundState(round1, new Date(t0 + y * 1000)));
          expect(sx).toBeLessThanOrEqual(sy);
        },
      ),
    );
  });
});

describe('round windows out of order', () => {
  const instant = fc.integer({ min: 0, max: 40 }).map((h) => new Date(Date.UTC(2020, 2, 12, h)));
  const day = fc.integer({ min: 1, max: 9 }).map((d) => `2020-04-0${d}`);
  const windows = fc.record({
    registrationOpensAt: instant,
    registrationClosesAt: instant,
    paymentOpensAt: instant,
    paymentClosesAt: instant,
    pickupStartsOn: day,
    pickupEndsOn: day,
  });

  it('finds no problem exactly when opens < closes ≤ payment opens < closes and pickup start ≤ end', () => {
    fc.assert(
      fc.property(windows, (w) => {
        const t = [w.registrationOpensAt, w.registrationClosesAt, w.paymentOpensAt, w.paymentClosesAt].map(
          (d) => d.getTime(),
        ) as [number, number, number, number];
        const wellFormed = t[0] < t[1] && t[1] <= t[2] && t[2] < t[3] && w.pickupStartsOn <= w.pickupEndsOn;
        expect(windowProblems(w).length === 0).toBe(wellFormed);
      }),
    );
  });

  it('names the two fields of each problem, the later one first', () => {
    const problems = windowProblems({ ...round1, paymentOpensAt: new Date('2020-03-18T19:00:00+08:00') });
    expect(problems.map((p) => [p.field, p.after])).toEqual([['paymentOpensAt', 'registrationClosesAt']]);
    expect(windowProblems(round1)).toEqual([]);
    const swapped = windowProblems({ ...round1, pickupStartsOn: '2020-04-02', pickupEndsOn: '2020-03-26' });
    expect(swapped.map((p) => p.field)).toEqual(['pickupEndsOn']);
  });
});
