import { AppError } from '../platform/errors.js';
import { bucket, type Limit } from '../platform/rate-limit.js';
import { maskId } from '../rules/ids.js';

const MINUTE = 60 * 1000;

/**
 * Failed sign-ins counted per thing being guessed at (a card's password, an ID's card digits at
 * the phone check) and per client address, each try reserved before it is evaluated
 * (`limitedTry`, src/platform/rate-limit.ts). Only failures count; a success does not clear them.
 * A failure that proves nothing about the person — a bad signature, so no card, certificate or
 * device key was present — counts against the address only, so nobody can lock a card holder out
 * by sending garbage in their name (docs/SECURITY.md "Limits on failed tries"). The per-address
 * limit is generous because many people share an address (NAT), and kept per kind of sign-in so
 * that, say, card failures do not lock out certificate logins.
 */
export const LOGIN_LIMITS = {
  perSubject: { max: 5, windowMs: 15 * MINUTE },
  perAddress: { max: 50, windowMs: 10 * MINUTE },
  /** Guessing device codes (8 digits) needs no card at all: a tighter per-address limit. */
  deviceCodePerAddress: { max: 10, windowMs: 10 * MINUTE },
} as const;

export interface LoginLimits {
  subject: Limit;
  address: Limit;
  /** Both, in the order they are reserved. */
  all: readonly Limit[];
}

export function loginLimits(subjectKind: string, subject: string, address: string): LoginLimits {
  const bySubject = { bucket: bucket(`login-${subjectKind}`, subject), ...LOGIN_LIMITS.perSubject };
  const byAddress = loginAddressLimit(subjectKind, address);
  return { subject: bySubject, address: byAddress, all: [bySubject, byAddress] };
}

/** Failed sign-ins of one kind from one client address. */
export function loginAddressLimit(kind: string, address: string): Limit {
  return { bucket: bucket(`login-${kind}-address`, address), ...LOGIN_LIMITS.perAddress };
}

export function deviceCodeLimits(address: string): Limit[] {
  return [{ bucket: bucket('device-code-address', address), ...LOGIN_LIMITS.deviceCodePerAddress }];
}

export const authFailed = () =>
  new AppError(
    'AUTH_FAILED',
    'Sign-in failed: the card, certificate, device, signature or password was not accepted.',
  );

/** What a sign-in answers about the person: never the full ID (SPEC, house rules). */
export function personView(person: { name: string; nationalId: string }) {
  return { name: person.name, nationalIdMasked: maskId(person.nationalId) };
}
