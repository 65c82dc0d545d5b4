import type { Db } from '../platform/db.js';
import { AppError } from '../platform/errors.js';
import { assertUnderLimits, bucket, type Limit, recordHit } from '../platform/rate-limit.js';
import { maskId } from '../rules/ids.js';

const MINUTE = 60 * 1000;

/**
 * Failed sign-ins counted per thing being guessed at (a card, a certificate's ID, a device, an
 * ID at the phone check) and per client address. Only failures count; a success does not
 * clear them. The per-address limit is generous because many people share an address (NAT),
 * and kept per kind of sign-in so that, say, card failures do not lock out certificate logins.
 */
export const LOGIN_LIMITS = {
  perSubject: { max: 5, windowMs: 15 * MINUTE },
  perAddress: { max: 50, windowMs: 10 * MINUTE },
  /** Guessing device codes (8 digits) needs no card at all: a tighter per-address limit. */
  deviceCodePerAddress: { max: 10, windowMs: 10 * MINUTE },
} as const;

export function loginLimits(subjectKind: string, subject: string, address: string): Limit[] {
  return [
    { bucket: bucket(`login-${subjectKind}`, subject), ...LOGIN_LIMITS.perSubject },
    { bucket: bucket(`login-${subjectKind}-address`, address), ...LOGIN_LIMITS.perAddress },
  ];
}

export function deviceCodeLimits(address: string): Limit[] {
  return [{ bucket: bucket('device-code-address', address), ...LOGIN_LIMITS.deviceCodePerAddress }];
}

export const authFailed = () =>
  new AppError(
    'AUTH_FAILED',
    'Sign-in failed: the card, certificate, device, signature or password was not accepted.',
  );

/** 429 TOO_MANY_REQUESTS with Retry-After when a limit is already reached. */
export function assertLoginAllowed(db: Db, limits: readonly Limit[], now: Date): Promise<void> {
  return assertUnderLimits(db, limits, now);
}

/** Count the failure (outside any transaction that is about to roll back) and return the error to throw. */
export async function failedAttempt(
  db: Db,
  limits: readonly Limit[],
  now: Date,
  error: AppError = authFailed(),
): Promise<AppError> {
  await recordHit(db, limits, now);
  return error;
}

/** What a sign-in answers about the person: never the full ID (SPEC, house rules). */
export function personView(person: { name: string; nationalId: string }) {
  return { name: person.name, nationalIdMasked: maskId(person.nationalId) };
}
