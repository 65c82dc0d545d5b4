import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withCheckDigit } from '../rules/ids.js';
import { eligibility } from '../rules/interval.js';
import { DEFAULT_PROGRAMME, packSize } from '../rules/programme.js';
import { addDays, ageOn, taipeiDay } from '../rules/taipei-date.js';
import { mayBuyOn } from '../rules/weekday.js';
import { assessSale, CHECK_ORDER, refusalBody, refusalError, type SaleFacts } from './assess-sale.js';

const day = fc
  .date({ min: new Date('2019-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true })
  .map(taipeiDay);
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVXYWZIO';
const nationalId = fc
  .tuple(fc.integer({ min: 0, max: 25 }), fc.constantFrom('1', '2'), fc.integer({ min: 0, max: 9_999_999 }))
  .map(([l, sex, n]) => withCheckDigit(`${LETTERS[l]}${sex}${String(n).padStart(7, '0')}`));

const facts: fc.Arbitrary<SaleFacts> = fc
  .record({
    idNumber: nationalId,
    day,
    ageDays: fc.integer({ min: 0, max: 90 * 366 }),
    item: fc.constantFrom('adult' as const, 'child' as const),
    onSpotOffsets: fc.array(fc.integer({ min: -20, max: 0 }), { maxLength: 3 }),
    orderOffsets: fc.array(fc.integer({ min: -20, max: 10 }), { maxLength: 2 }),
    adult: fc.integer({ min: 0, max: 12 }),
    child: fc.integer({ min: 0, max: 12 }),
  })
  .map((r) => ({
    idNumber: r.idNumber,
    birthDate: addDays(r.day, -r.ageDays),
    day: r.day,
    item: r.item,
    programme: DEFAULT_PROGRAMME,
    history: {
      onSpot: r.onSpotOffsets.map((o) => addDays(r.day, o)).sort(),
      paidOrders: r.orderOffsets.map((o, i) => ({ orderId: i + 1, pickupStartsOn: addDays(r.day, o) })),
    },
    stock: { adult: r.adult, child: r.child },
  }));

describe('assessSale: the one decision of the sale and the eligibility check (SPEC §3, §4)', () => {
  it('refuses by exactly the rules that fail, each rule as its own function decides it', () => {
    fc.assert(
      fc.property(facts, (f) => {
        const codes = assessSale(f).map((r) => r.code);
        const tooOld = f.item === 'child' && ageOn(f.birthDate, f.day) > f.programme.childMaxAge;
        const expected = [
          ...(mayBuyOn(f.idNumber, f.day) ? [] : ['WRONG_DAY_FOR_ID']),
          ...(tooOld ? ['CHILD_ITEM_NOT_ALLOWED'] : []),
          ...(eligibility(f.history, f.day, f.programme.periodDays).allowed ? [] : ['NOT_YET_ELIGIBLE']),
          ...(!tooOld && f.stock[f.item] < packSize(f.item, f.programme) ? ['OUT_OF_STOCK'] : []),
        ];
        expect(codes).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('lists refusals in the check order: weekday, child age, interval, stock', () => {
    fc.assert(
      fc.property(facts, (f) => {
        const ranks = assessSale(f).map((r) => CHECK_ORDER.indexOf(r.code));
        expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
        expect(ranks.every((r) => r >= 0)).toBe(true);
      }),
    );
  });

  it('whatever else holds, enough stock never refuses and a refusal never depends on the other pack’s stock', () => {
    fc.assert(
      fc.property(facts, fc.integer({ min: 0, max: 100 }), (f, other) => {
        const otherItem = f.item === 'adult' ? 'child' : 'adult';
        const changed = { ...f, stock: { ...f.stock, [otherItem]: other } };
        expect(assessSale(changed)).toEqual(assessSale(f));
        const plenty = { ...f, stock: { adult: 100, child: 100 } };
        expect(assessSale(plenty).some((r) => r.code === 'OUT_OF_STOCK')).toBe(false);
      }),
    );
  });

  it('the refusals carry what API.md names: allowedWeekdays, nextEligibleOn, remaining', () => {
    const base: SaleFacts = {
      idNumber: 'A223456780', // even: Tue/Thu/Sat/Sun
      birthDate: '2000-01-01',
      day: '2020-03-16', // Monday
      item: 'child',
      programme: DEFAULT_PROGRAMME,
      history: { onSpot: ['2020-03-15'], paidOrders: [] },
      stock: { adult: 0, child: 0 },
    };
    expect(assessSale(base)).toEqual([
      { code: 'WRONG_DAY_FOR_ID', allowedWeekdays: [2, 4, 6, 7] },
      { code: 'CHILD_ITEM_NOT_ALLOWED', childMaxAge: 16 },
      { code: 'NOT_YET_ELIGIBLE', nextEligibleOn: '2020-03-22', allowedWeekdays: [2, 4, 6, 7] },
    ]);
    expect(assessSale({ ...base, item: 'adult', day: '2020-03-22' })).toEqual([
      { code: 'OUT_OF_STOCK', item: 'adult', remaining: 0 },
    ]);
    const [first] = assessSale(base);
    if (!first) throw new Error('expected a refusal');
    expect(refusalError(first).status).toBe(409);
    expect(refusalBody(first)).toEqual({
      code: 'WRONG_DAY_FOR_ID',
      message: 'Today is not a day for this ID number (odd/even rule).',
      allowedWeekdays: [2, 4, 6, 7],
    });
    const child = assessSale({ ...base, day: '2020-03-22' });
    expect(child.map((r) => refusalError(r).status)).toEqual([422]);
  });
});
