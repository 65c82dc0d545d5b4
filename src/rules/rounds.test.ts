import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pickupEndsAt, roundState } from './rounds.js';

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
