import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../rules/taipei-date.js';
import { type CollectableOrder, collectionRefusal, maskName } from './pickup-rules.js';

const order: CollectableOrder = {
  storeId: 1,
  state: 'paid',
  pickupStartsOn: '2020-03-26',
  pickupEndsOn: '2020-04-01',
  store: { id: 1, chain: '7-11', storeNo: '1', name: 'n', address: 'a' },
};
const code = (o: CollectableOrder, store: number, today: string, from?: string) =>
  collectionRefusal(o, store, today, from)?.code ?? null;

describe('collection refusals', () => {
  it('allows exactly the days of the window from collectableFrom on, at the order’s store', () => {
    const day = fc.integer({ min: -10, max: 20 }).map((n) => addDays('2020-03-26', n));
    fc.assert(
      fc.property(day, fc.option(day, { nil: undefined }), (today, from) => {
        const allowed =
          today >= '2020-03-26' && today <= '2020-04-01' && (from === undefined || today >= from);
        expect(code(order, 1, today, from) === null).toBe(allowed);
        expect(code(order, 2, today, from)).toBe('WRONG_STORE');
      }),
    );
  });

  it('says which rule refuses, in the order a clerk needs', () => {
    expect(code({ ...order, state: 'collected' }, 1, '2020-04-05')).toBe('ALREADY_COLLECTED');
    expect(code(order, 1, '2020-04-02')).toBe('FORFEITED');
    expect(code(order, 1, '2020-03-25')).toBe('OUTSIDE_PICKUP_WINDOW');
    expect(code(order, 1, '2020-03-27', '2020-03-29')).toBe('NOT_YET_ELIGIBLE');
    expect(collectionRefusal(order, 1, '2020-03-27', '2020-03-29')?.details).toMatchObject({
      collectableFrom: '2020-03-29',
    });
  });
});

describe('masked names', () => {
  it('keeps the first and last character of a Chinese name and initials of a Western one', () => {
    expect(maskName('王小明')).toBe('王○明');
    expect(maskName('歐陽娜娜')).toBe('歐○○娜');
    expect(maskName('王明')).toBe('王○');
    expect(maskName('王')).toBe('○');
    expect(maskName('John Smith')).toBe('J*** S****');
  });

  it('never shows a middle character of a name of three or more', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'王小明陳林黃張李'), minLength: 3, maxLength: 6 }),
        (name) => {
          const masked = [...maskName(name)];
          expect(masked.slice(1, -1).every((c) => c === '○')).toBe(true);
        },
      ),
    );
  });
});
