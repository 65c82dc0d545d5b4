import { type Day, isoWeekday } from './taipei-date.js';

/**
 * The odd/even-ID rule of physical channels (SPEC §4, seeds [ORD 8 note 1, ORD 1 note 1]):
 * the last digit of the ID number (national ID or resident certificate number) decides the day.
 * Odd digits (1,3,5,7,9) buy Monday/Wednesday/Friday, even digits (0,2,4,6,8)
 * Tuesday/Thursday/Saturday, Sunday is open to all. Days are Asia/Taipei days.
 * Online orders and airport arrivals are not subject to it.
 */
export const ODD_ID_WEEKDAYS: readonly number[] = [1, 3, 5, 7];
export const EVEN_ID_WEEKDAYS: readonly number[] = [2, 4, 6, 7];
/** Every ID may buy on Sunday. */
export const OPEN_TO_ALL_WEEKDAY = 7;

/**
 * ISO weekdays (1 = Monday … 7 = Sunday) on which the holder of `idNumber` may buy.
 * An ID that does not end in a digit (never valid) gets Sunday only.
 */
export function allowedWeekdays(idNumber: string): number[] {
  const last = idNumber.trim().at(-1) ?? '';
  if (!/^[0-9]$/.test(last)) return [OPEN_TO_ALL_WEEKDAY];
  return Number(last) % 2 === 1 ? [...ODD_ID_WEEKDAYS] : [...EVEN_ID_WEEKDAYS];
}

/** Whether the holder of `idNumber` may buy on the Taipei day `day`. */
export function mayBuyOn(idNumber: string, day: Day): boolean {
  return allowedWeekdays(idNumber).includes(isoWeekday(day));
}
