import { addDays, startOfTaipeiDay } from './taipei-date.js';

export type RoundState = 'upcoming' | 'registration' | 'drawing' | 'payment' | 'pickup' | 'closed';

export interface RoundWindows {
  registrationOpensAt: Date;
  registrationClosesAt: Date;
  paymentOpensAt: Date;
  paymentClosesAt: Date;
  pickupStartsOn: string;
  pickupEndsOn: string;
}

/**
 * Where a round stands at `now` (SPEC §5: registration → draw → payment → pickup).
 * Windows are half-open [opens, closes); the pickup window ends with the last pickup day.
 */
export function roundState(round: RoundWindows, now: Date): RoundState {
  const t = now.getTime();
  if (t < round.registrationOpensAt.getTime()) return 'upcoming';
  if (t < round.registrationClosesAt.getTime()) return 'registration';
  if (t < round.paymentOpensAt.getTime()) return 'drawing';
  if (t < round.paymentClosesAt.getTime()) return 'payment';
  if (t < pickupEndsAt(round).getTime()) return 'pickup';
  return 'closed';
}

/** The first instant after the pickup window (midnight after the last pickup day, Taipei). */
export function pickupEndsAt(round: Pick<RoundWindows, 'pickupEndsOn'>): Date {
  return startOfTaipeiDay(addDays(round.pickupEndsOn, 1));
}

export function inRegistration(round: RoundWindows, now: Date): boolean {
  return now >= round.registrationOpensAt && now < round.registrationClosesAt;
}

export function inPayment(round: RoundWindows, now: Date): boolean {
  return now >= round.paymentOpensAt && now < round.paymentClosesAt;
}
