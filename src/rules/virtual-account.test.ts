import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkDigit,
  isValidVirtualAccount,
  MAX_ORDER_ID_FOR_ACCOUNT,
  parseVirtualAccount,
  VIRTUAL_ACCOUNT_LENGTH,
  VIRTUAL_ACCOUNT_PREFIX,
  virtualAccount,
} from './virtual-account.js';

const roundId = fc.integer({ min: 1, max: 100_000 });
const orderId = fc.integer({ min: 1, max: MAX_ORDER_ID_FOR_ACCOUNT });

describe('virtual accounts', () => {
  it('are 16 digits with the bank prefix, validate, and name their order', () => {
    fc.assert(
      fc.property(roundId, orderId, (r, o) => {
        const va = virtualAccount(r, o);
        expect(va).toMatch(/^\d{16}$/);
        expect(va.length).toBe(VIRTUAL_ACCOUNT_LENGTH);
        expect(va.startsWith(VIRTUAL_ACCOUNT_PREFIX)).toBe(true);
        expect(isValidVirtualAccount(va)).toBe(true);
        expect(parseVirtualAccount(va)).toEqual({ roundMod1000: r % 1000, orderId: o });
      }),
    );
  });

  it('differ for different orders', () => {
    fc.assert(
      fc.property(roundId, roundId, orderId, orderId, (r1, r2, o1, o2) => {
        fc.pre(o1 !== o2);
        expect(virtualAccount(r1, o1)).not.toBe(virtualAccount(r2, o2));
      }),
    );
  });

  it('catch every single-digit error, check digit included', () => {
    fc.assert(
      fc.property(
        roundId,
        orderId,
        fc.integer({ min: 0, max: 15 }),
        fc.integer({ min: 1, max: 9 }),
        (r, o, pos, delta) => {
          const va = virtualAccount(r, o);
          const wrong = (Number(va[pos]) + delta) % 10;
          const typo = `${va.slice(0, pos)}${wrong}${va.slice(pos + 1)}`;
          expect(typo).not.toBe(va);
          expect(isValidVirtualAccount(typo)).toBe(false);
          expect(parseVirtualAccount(typo)).toBeNull();
        },
      ),
    );
  });

  it('computes the documented check digit on a worked example', () => {
    // 960 001 000000042: weights 7,3,1 from the left.
    const body = '960001000000042';
    const sum = [...body].reduce((s, c, i) => s + Number(c) * ([7, 3, 1][i % 3] as number), 0);
    expect(checkDigit(body)).toBe((10 - (sum % 10)) % 10);
    expect(virtualAccount(1, 42)).toBe(`${body}${checkDigit(body)}`);
  });

  it('refuses what cannot be an account', () => {
    expect(isValidVirtualAccount('')).toBe(false);
    expect(isValidVirtualAccount('96000100000004x0')).toBe(false);
    expect(isValidVirtualAccount('1234567890123456')).toBe(false);
    expect(() => virtualAccount(1, MAX_ORDER_ID_FOR_ACCOUNT + 1)).toThrow(RangeError);
    expect(() => virtualAccount(-1, 1)).toThrow(RangeError);
  });
});
