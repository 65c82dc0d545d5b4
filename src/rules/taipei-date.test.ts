import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDays,
  ageOn,
  daysBetween,
  isDay,
  isoWeekday,
  startOfTaipeiDay,
  taipeiDay,
  toTaipeiIso,
} from './taipei-date.js';

const instant = fc.date({
  min: new Date('2000-01-01T00:00:00Z'),
  max: new Date('2040-01-01T00:00:00Z'),
  noInvalidDate: true,
});
const day = instant.map(taipeiDay);

describe('Asia/Taipei calendar', () => {
  it('a Taipei day starts at 16:00 UTC the day before', () => {
    expect(taipeiDay(new Date('2020-03-11T15:59:59Z'))).toBe('2020-03-11');
    expect(taipeiDay(new Date('2020-03-11T16:00:00Z'))).toBe('2020-03-12');
    expect(startOfTaipeiDay('2020-03-12').toISOString()).toBe('2020-03-11T16:00:00.000Z');
    expect(toTaipeiIso(new Date('2020-03-12T01:00:00Z'))).toBe('2020-03-12T09:00:00+08:00');
  });

  it('every instant lies within its own Taipei day', () => {
    fc.assert(
      fc.property(instant, (t) => {
        const d = taipeiDay(t);
        expect(startOfTaipeiDay(d).getTime()).toBeLessThanOrEqual(t.getTime());
        expect(startOfTaipeiDay(addDays(d, 1)).getTime()).toBeGreaterThan(t.getTime());
      }),
    );
  });

  it('adding days is consistent with the distance between days and with weekdays', () => {
    fc.assert(
      fc.property(day, fc.integer({ min: -400, max: 400 }), (d, n) => {
        const e = addDays(d, n);
        expect(isDay(e)).toBe(true);
        expect(daysBetween(d, e)).toBe(n);
        expect(isoWeekday(e)).toBe(((((isoWeekday(d) - 1 + n) % 7) + 7) % 7) + 1);
      }),
    );
  });

  it('knows the weekdays of the seeds (2020-03-12 was a Thursday, 03-15 a Sunday)', () => {
    expect(isoWeekday('2020-03-12')).toBe(4);
    expect(isoWeekday('2020-03-15')).toBe(7);
    expect(isoWeekday('2020-03-16')).toBe(1);
  });

  it('rejects impossible dates', () => {
    expect(isDay('2020-02-30')).toBe(false);
    expect(isDay('2020-02-29')).toBe(true);
    expect(isDay('2021-02-29')).toBe(false);
  });

  it('age turns on the birthday, not the day after', () => {
    expect(ageOn('2004-03-20', '2020-03-19')).toBe(15);
    expect(ageOn('2004-03-20', '2020-03-20')).toBe(16);
    expect(ageOn('2003-03-20', '2020-03-20')).toBe(17);
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 100 }), (birth, years) => {
        const [y, m, dd] = birth.split('-');
        const birthday = `${Number(y) + years}-${m}-${dd}`;
        if (!isDay(birthday)) return;
        expect(ageOn(birth, birthday)).toBe(years);
        expect(ageOn(birth, addDays(birthday, -1))).toBe(years - 1);
      }),
    );
  });
});
