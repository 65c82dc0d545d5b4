/**
 * Identity numbers (SPEC §2): Taiwan national ID, resident certificate (ARC/UI) numbers in the
 * old two-letter and the 2021 format, NHI card numbers. Pure functions, no I/O.
 */

/** Area letters → two-digit codes used by the check-digit formula (I, O, W, X, Y, Z are out of order). */
const LETTER_CODE: Record<string, number> = {
  A: 10,
  B: 11,
  C: 12,
  D: 13,
  E: 14,
  F: 15,
  G: 16,
  H: 17,
  I: 34,
  J: 18,
  K: 19,
  L: 20,
  M: 21,
  N: 22,
  O: 35,
  P: 23,
  Q: 24,
  R: 25,
  S: 26,
  T: 27,
  U: 28,
  V: 29,
  W: 32,
  X: 30,
  Y: 31,
  Z: 33,
};

const WEIGHTS = [1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1] as const;

/** Weighted sum of the 11 digits (area code split in two + 9 digits); valid when ≡ 0 (mod 10). */
function weightedSum(areaCode: number, nineDigits: readonly number[]): number {
  const digits = [Math.floor(areaCode / 10), areaCode % 10, ...nineDigits];
  return digits.reduce((sum, d, i) => sum + d * (WEIGHTS[i] ?? 0), 0);
}

function digitsOf(text: string): number[] {
  return [...text].map((c) => c.charCodeAt(0) - 48);
}

/** National ID: area letter, sex digit 1 or 2, seven digits, check digit. */
export function isNationalId(value: string): boolean {
  if (!/^[A-Z][12]\d{8}$/.test(value)) return false;
  const area = LETTER_CODE[value[0] as string] as number;
  return weightedSum(area, digitsOf(value.slice(1))) % 10 === 0;
}

/** 2021 resident certificate number: same shape and check as a national ID, second character 8 or 9. */
export function isNewArcNumber(value: string): boolean {
  if (!/^[A-Z][89]\d{8}$/.test(value)) return false;
  const area = LETTER_CODE[value[0] as string] as number;
  return weightedSum(area, digitsOf(value.slice(1))) % 10 === 0;
}

/** Pre-2021 resident certificate number: area letter, sex letter A–D, eight digits (last is the check). */
export function isOldArcNumber(value: string): boolean {
  if (!/^[A-Z][A-D]\d{8}$/.test(value)) return false;
  const area = LETTER_CODE[value[0] as string] as number;
  const sex = (LETTER_CODE[value[1] as string] as number) % 10;
  return weightedSum(area, [sex, ...digitsOf(value.slice(2))]) % 10 === 0;
}

export function isArcNumber(value: string): boolean {
  return isNewArcNumber(value) || isOldArcNumber(value);
}

export type IdKind = 'national' | 'arc_new' | 'arc_old';

/** Which kind of personal ID this is, or null when it is not valid. */
export function idKind(value: string): IdKind | null {
  if (isNationalId(value)) return 'national';
  if (isNewArcNumber(value)) return 'arc_new';
  if (isOldArcNumber(value)) return 'arc_old';
  return null;
}

/** Completes a 9-character stem (letter + 8 digits, or two letters + 7 digits) with its check digit. */
export function withCheckDigit(stem: string): string {
  for (let d = 0; d <= 9; d++) {
    const candidate = `${stem}${d}`;
    if (idKind(candidate)) return candidate;
  }
  throw new Error(`no check digit completes ${stem}`);
}

/** NHI card number: 12 digits, printed bottom-left on the card front [ID 9]. */
export function isNhiCardNo(value: string): boolean {
  return /^\d{12}$/.test(value);
}

/** The last digit decides the odd/even weekday rule (SPEC §4). */
export function lastDigit(id: string): number {
  const d = id.charCodeAt(id.length - 1) - 48;
  if (d < 0 || d > 9) throw new Error('ID does not end in a digit');
  return d;
}

/** "A123456789" → "A1****6789"; what screens and answers show instead of the ID. */
export function maskId(id: string): string {
  if (id.length <= 6) return '*'.repeat(id.length);
  return `${id.slice(0, 2)}${'*'.repeat(id.length - 6)}${id.slice(-4)}`;
}
