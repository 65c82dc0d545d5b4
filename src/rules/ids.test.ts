import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  idKind,
  isNationalId,
  isNewArcNumber,
  isNhiCardNo,
  isOldArcNumber,
  lastDigit,
  maskId,
  withCheckDigit,
} from './ids.js';

const letter = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
const digits = (n: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));

describe('national ID', () => {
  it('accepts known valid IDs and rejects their neighbours', () => {
    expect(isNationalId('A123456789')).toBe(true);
    expect(isNationalId('F131104093')).toBe(true);
    expect(isNationalId('A123456788')).toBe(false);
    expect(isNationalId('a123456789')).toBe(false);
    expect(isNationalId('A323456789')).toBe(false); // sex digit must be 1 or 2
  });

  it('exactly one check digit completes every stem', () => {
    fc.assert(
      fc.property(letter, fc.constantFrom('1', '2'), digits(7), (l, sex, rest) => {
        const stem = `${l}${sex}${rest}`;
        const valid = [...'0123456789'].filter((d) => isNationalId(`${stem}${d}`));
        expect(valid).toHaveLength(1);
        expect(withCheckDigit(stem)).toBe(`${stem}${valid[0]}`);
      }),
    );
  });

  // Digits weighted 7, 3, 1 and 1 (coprime to 10) catch every single-digit error.
  it('changing one of the digits with a weight coprime to 10 breaks the check', () => {
    fc.assert(
      fc.property(
        letter,
        fc.constantFrom('1', '2'),
        digits(7),
        fc.constantFrom(2, 6, 8, 9),
        fc.integer({ min: 1, max: 9 }),
        (l, sex, rest, pos, delta) => {
          const id = withCheckDigit(`${l}${sex}${rest}`);
          const d = (Number(id[pos]) + delta) % 10;
          const mutated = `${id.slice(0, pos)}${d}${id.slice(pos + 1)}`;
          expect(isNationalId(mutated)).toBe(false);
        },
      ),
    );
  });
});

describe('resident certificate numbers', () => {
  it('2021 format: second character 8 or 9, same check as a national ID', () => {
    expect(isNewArcNumber('A800000014')).toBe(true);
    expect(isNewArcNumber('A800000015')).toBe(false);
    fc.assert(
      fc.property(letter, fc.constantFrom('8', '9'), digits(7), (l, s, rest) => {
        const id = withCheckDigit(`${l}${s}${rest}`);
        expect(isNewArcNumber(id)).toBe(true);
        expect(isNationalId(id)).toBe(false);
        expect(idKind(id)).toBe('arc_new');
      }),
    );
  });

  it('old format: two letters, eight digits, one valid check digit per stem', () => {
    expect(isOldArcNumber('AA00000009')).toBe(true);
    expect(isOldArcNumber('AA00000008')).toBe(false);
    fc.assert(
      fc.property(letter, fc.constantFrom('A', 'B', 'C', 'D'), digits(7), (l, s, rest) => {
        const stem = `${l}${s}${rest}`;
        const valid = [...'0123456789'].filter((d) => isOldArcNumber(`${stem}${d}`));
        expect(valid).toHaveLength(1);
        expect(idKind(`${stem}${valid[0]}`)).toBe('arc_old');
      }),
    );
  });
});

describe('NHI card number and display', () => {
  it('is exactly 12 digits', () => {
    expect(isNhiCardNo('000012345678')).toBe(true);
    expect(isNhiCardNo('00001234567')).toBe(false);
    expect(isNhiCardNo('00001234567a')).toBe(false);
  });

  it('masks all but the first two and last four characters', () => {
    expect(maskId('A123456789')).toBe('A1****6789');
    fc.assert(
      fc.property(letter, digits(9), (l, rest) => {
        const masked = maskId(`${l}${rest}`);
        expect(masked).toHaveLength(10);
        expect(masked.slice(2, 6)).toBe('****');
      }),
    );
  });

  it('last digit drives the weekday rule', () => {
    expect(lastDigit('A123456789')).toBe(9);
  });
});
