import { describe, expect, it } from 'vitest';
import { eligibility, nextEligibleOn, onlinePurchaseDays } from './interval.js';

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
