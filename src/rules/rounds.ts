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

export interface WindowProblem {
  /** The later of the two fields out of order: the one an operator most likely mistyped. */
  field: keyof RoundWindows;
  /** The field it must not come before. */
  after: keyof RoundWindows;
  problem: string;
}

/**
 * Which of a round's windows are out of order, each naming the two fields (registration opens <
 * closes ≤ payment opens < closes; pickup start ≤ end); empty when the round is well formed.
 */
export function windowProblems(round: RoundWindows): WindowProblem[] {
  const problems: WindowProblem[] = [];
  const check = (ok: boolean, field: keyof RoundWindows, after: keyof RoundWindows, problem: string) => {
    if (!ok) problems.push({ field, after, problem });
  };
  check(
    round.registrationOpensAt < round.registrationClosesAt,
    'registrationClosesAt',
    'registrationOpensAt',
    'registration must close after it opens',
  );
  check(
    round.registrationClosesAt <= round.paymentOpensAt,
    'paymentOpensAt',
    'registrationClosesAt',
    'payment must not open before registration closes (the draw runs in between)',
  );
  check(
    round.paymentOpensAt < round.paymentClosesAt,
    'paymentClosesAt',
    'paymentOpensAt',
    'payment must close after it opens',
  );
  check(
    round.pickupStartsOn <= round.pickupEndsOn,
    'pickupEndsOn',
    'pickupStartsOn',
    'the last pickup day must not come before the first',
  );
  return problems;
}
