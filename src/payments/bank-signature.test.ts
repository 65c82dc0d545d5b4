import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isFreshTimestamp, isValidBankSignature, signBankNotice, unixSeconds } from './bank-signature.js';

describe('bank notice signature', () => {
  it('verifies what was signed and refuses any other body, timestamp or secret', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.string(),
        fc.string(),
        fc.nat({ max: 2_000_000_000 }),
        (secret, body, other, ts) => {
          const timestamp = String(ts);
          const signature = signBankNotice(secret, timestamp, body);
          expect(isValidBankSignature(secret, timestamp, body, signature)).toBe(true);
          if (other !== body) expect(isValidBankSignature(secret, timestamp, other, signature)).toBe(false);
          expect(isValidBankSignature(`${secret}x`, timestamp, body, signature)).toBe(false);
          expect(isValidBankSignature(secret, String(ts + 1), body, signature)).toBe(false);
        },
      ),
    );
  });

  it('refuses malformed signature headers without throwing', () => {
    for (const header of ['', 'v1=', 'v1=abc', `v2=${'0'.repeat(64)}`, `v1=${'g'.repeat(64)}`]) {
      expect(isValidBankSignature('s', '1', 'b', header)).toBe(false);
    }
  });

  it('accepts timestamps within five minutes of the platform clock only', () => {
    const now = new Date('2020-03-20T10:00:00+08:00');
    const ts = Number(unixSeconds(now));
    expect(isFreshTimestamp(String(ts), now)).toBe(true);
    expect(isFreshTimestamp(String(ts - 300), now)).toBe(true);
    expect(isFreshTimestamp(String(ts - 301), now)).toBe(false);
    expect(isFreshTimestamp(String(ts + 301), now)).toBe(false);
    expect(isFreshTimestamp('1e9', now)).toBe(false);
  });
});
