import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isWellFormedSerial,
  newPickupSerial,
  normaliseSerial,
  SERIAL_ALPHABET,
  SERIAL_LENGTH,
} from './pickup-serial.js';

describe('pickup serial', () => {
  it('has no look-alike characters', () => {
    for (const c of '01ILO') expect(SERIAL_ALPHABET).not.toContain(c);
  });

  it('is always well formed, whatever the random source gives', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: SERIAL_LENGTH, maxLength: SERIAL_LENGTH }), (picks) => {
        let i = 0;
        const serial = newPickupSerial((max) => (picks[i++] as number) % max);
        expect(serial).toHaveLength(SERIAL_LENGTH);
        expect(isWellFormedSerial(serial)).toBe(true);
      }),
    );
  });

  it('reads back what a clerk types with spaces, dashes or lower case', () => {
    for (let i = 0; i < 100; i++) {
      const serial = newPickupSerial();
      const typed = `${serial.slice(0, 4).toLowerCase()} ${serial.slice(4, 8)}-${serial.slice(8)}`;
      expect(normaliseSerial(typed)).toBe(serial);
    }
    expect(isWellFormedSerial('ABCDEFGHJKM0')).toBe(false);
    expect(isWellFormedSerial('ABC')).toBe(false);
  });

  it('does not repeat in practice', () => {
    const seen = new Set(Array.from({ length: 10_000 }, () => newPickupSerial()));
    expect(seen.size).toBe(10_000);
  });
});
