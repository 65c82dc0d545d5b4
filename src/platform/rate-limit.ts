import { createHash } from 'node:crypto';
import type { Db } from './db.js';
import { AppError } from './errors.js';

/** At most `max` counted tries per `windowMs` in one bucket. */
export interface Limit {
  bucket: string;
  max: number;
  windowMs: number;
}

/**
 * A bucket name for a subject that may be personal data (an ID, a card number, an address):
 * only a hash is stored, never the subject itself.
 */
export function bucket(kind: string, subject: string): string {
  return `${kind}:${createHash('sha256').update(`${kind}\u0000${subject}`).digest('base64url').slice(0, 22)}`;
}

/** A try that holds a place in each of its limits until it is settled. */
export interface ReservedTry {
  /** The try succeeded (or proved nothing to count): it counts against none of its limits. */
  succeeded(): Promise<void>;
  /**
   * The try failed: it stays counted against `countAgainst` (every limit when omitted) and gives
   * its place back in the others, e.g. a bad card signature counts against the client address
   * but not against the card, since no card was present (docs/SECURITY.md).
   */
  failed(countAgainst?: readonly Limit[]): Promise<void>;
}

export function tooManyRequests(retryAfterMs: number): AppError {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new AppError(
    'TOO_MANY_REQUESTS',
    `Too many attempts. Try again in ${seconds} seconds.`,
    { retryAfterSeconds: seconds },
    { 'Retry-After': String(seconds) },
  );
}

/**
 * The one mechanism behind every limit on failed tries (API.md v1.1 "Limits under
 * concurrency"): the try is reserved in every bucket — counted and inserted in one call under
 * the buckets' locks (`reserve_tries`, migration 0085) — before the caller evaluates it, and
 * settled afterwards. A try still being evaluated counts like a failure, so a limit of N lets at
 * most N tries be evaluated per window however many arrive at once; every other try is refused
 * with 429 TOO_MANY_REQUESTS and Retry-After, whether or not it would have been right.
 * Never check, then evaluate, then count.
 *
 * A try that is never settled (the process died while evaluating it) stays counted: limits
 * err on the side of the person being guessed at.
 */
export async function reserveTry(db: Db, limits: readonly Limit[], now: Date): Promise<ReservedTry> {
  if (limits.length === 0) return { succeeded: async () => {}, failed: async () => {} };
  const [row] = await db<{ hit_ids: number[] | null; retry_after_ms: number }[]>`
    select hit_ids, retry_after_ms from reserve_tries(
      ${limits.map((l) => l.bucket)}::text[], ${limits.map((l) => l.max)}::int[],
      ${limits.map((l) => l.windowMs)}::int8[], ${now}::timestamptz)`;
  if (!row?.hit_ids) throw tooManyRequests(Number(row?.retry_after_ms ?? 1000));
  const ids = row.hit_ids;
  let settled = false;
  const release = async (keep: (limit: Limit) => boolean) => {
    if (settled) return;
    settled = true;
    const given = ids.filter((_, i) => !keep(limits[i] as Limit));
    if (given.length > 0) await db`delete from rate_limit_hits where id = any(${given}::int8[])`;
  };
  return {
    succeeded: () => release(() => false),
    failed: (countAgainst) =>
      release((limit) => countAgainst === undefined || countAgainst.some((c) => c.bucket === limit.bucket)),
  };
}

/**
 * Runs `evaluate` under a reserved try. It answers `{ ok: true, value }` for a try that counts
 * against nothing, or `{ ok: false, error, countAgainst? }` for a failure, which is then counted
 * (against every limit unless `countAgainst` narrows it) and thrown. A try whose evaluation
 * throws (the database failed, a bug) is settled as failed as well, and the error goes through.
 */
export async function limitedTry<T>(
  db: Db,
  limits: readonly Limit[],
  now: Date,
  evaluate: () => Promise<TryOutcome<T>>,
): Promise<T> {
  const attempt = await reserveTry(db, limits, now);
  let outcome: TryOutcome<T>;
  try {
    outcome = await evaluate();
  } catch (error) {
    await attempt.failed().catch(() => undefined);
    throw error;
  }
  if (outcome.ok) {
    await attempt.succeeded();
    return outcome.value;
  }
  await attempt.failed(outcome.countAgainst);
  throw outcome.error;
}

export type TryOutcome<T> =
  | { ok: true; value: T }
  | { ok: false; error: AppError; countAgainst?: readonly Limit[] };
