import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withCheckDigit } from './ids.js';
import { addDays, isoWeekday, taipeiDay } from './taipei-date.js';
import { allowedWeekdays, mayBuyOn } from './weekday.js';

const day = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true })
  .map(taipeiDay);
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVXYWZIO';
const nationalId = fc
  .tuple(fc.integer({ min: 0, max: 25 }), fc.constantFrom('1', '2'), fc.integer({ min: 0, max: 9_999_999 }))
  .map(([l, sex, n]) => withCheckDigit(`${LETTERS[l]}${sex}${String(n).padStart(7, '0')}`));

describe('odd/even-ID weekday rule (SPEC §4, [ORD 8 note 1])', () => {
  it('the examples: odd last digit Mon/Wed/Fri, even Tue/Thu/Sat, Sunday for all', () => {
    expect(allowedWeekdays('A123456789')).toEqual([1, 3, 5, 7]);
    expect(allowedWeekdays('A223456780')).toEqual([2, 4, 6, 7]);
    // 2020-03-15 was a Sunday, 03-16 a Monday, 03-17 a Tuesday
    expect(mayBuyOn('A123456789', '2020-03-15')).toBe(true);
    expect(mayBuyOn('A223456780', '2020-03-15')).toBe(true);
    expect(mayBuyOn('A123456789', '2020-03-16')).toBe(true);
    expect(mayBuyOn('A223456780', '2020-03-16')).toBe(false);
    expect(mayBuyOn('A123456789', '2020-03-17')).toBe(false);
    expect(mayBuyOn('A223456780', '2020-03-17')).toBe(true);
  });

  it('resident certificate numbers, old and new format, follow their last digit too', () => {
    expect(allowedWeekdays('AA00000009')).toEqual([1, 3, 5, 7]);
    expect(allowedWeekdays('A800000014')).toEqual([2, 4, 6, 7]);
    expect(allowedWeekdays('A800000005').includes(2)).toBe(false);
  });

  it('an ID not ending in a digit gets Sunday only', () => {
    expect(allowedWeekdays('')).toEqual([7]);
    expect(allowedWeekdays('ABC')).toEqual([7]);
  });

  it('every ID may buy on exactly four weekdays, Sunday among them', () => {
    fc.assert(
      fc.property(nationalId, (id) => {
        const days = allowedWeekdays(id);
        expect(days).toHaveLength(4);
        expect(days).toContain(7);
        expect(days.every((d) => d >= 1 && d <= 7)).toBe(true);
      }),
    );
  });

  it('on any day, an odd and an even ID are both allowed exactly on Sunday, and one of them on every other day', () => {
    fc.assert(
      fc.property(nationalId, nationalId, day, (a, b, d) => {
        fc.pre(Number(a.at(-1)) % 2 !== Number(b.at(-1)) % 2);
        const both = mayBuyOn(a, d) && mayBuyOn(b, d);
        const either = mayBuyOn(a, d) || mayBuyOn(b, d);
        expect(either).toBe(true);
        expect(both).toBe(isoWeekday(d) === 7);
      }),
    );
  });

  it('depends only on the parity of the last digit and repeats every week', () => {
    fc.assert(
      fc.property(nationalId, day, (id, d) => {
        expect(mayBuyOn(id, addDays(d, 7))).toBe(mayBuyOn(id, d));
        expect(mayBuyOn(id, d)).toBe(mayBuyOn(Number(id.at(-1)) % 2 === 1 ? '1' : '0', d));
      }),
    );
  });

  it('in any 7 consecutive days an ID may buy on four of them', () => {
    fc.assert(
      fc.property(nationalId, day, (id, d) => {
        const n = [0, 1, 2, 3, 4, 5, 6].filter((i) => mayBuyOn(id, addDays(d, i))).length;
        expect(n).toBe(4);
      }),
    );
  });
});
