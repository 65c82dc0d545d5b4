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
   * its place back in the others.
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

/** Gives one place back in each bucket: removes one occurrence of the try's instant. */
async function giveBack(db: Db, buckets: readonly string[], at: Date): Promise<void> {
  if (buckets.length === 0) return;
  await db`
    update rate_limit_buckets b
    set hits = b.hits[:array_position(b.hits, ${at}::timestamptz) - 1]
            || b.hits[array_position(b.hits, ${at}::timestamptz) + 1:]
    where b.bucket = any(${buckets}::text[]) and array_position(b.hits, ${at}::timestamptz) is not null`;
}

/** How long until each of these full buckets lets a try in again (ms), the longest. */
async function retryAfterMs(db: Db, buckets: readonly string[], now: Date): Promise<number> {
  const rows = await db<{ hits: Date[]; max: number; window_ms: number }[]>`
    select hits, max, window_ms from rate_limit_buckets where bucket = any(${buckets}::text[])`;
  let wait = 1000;
  for (const row of rows) {
    const live = row.hits
      .map((h) => h.getTime())
      .filter((h) => h > now.getTime() - Number(row.window_ms) && h <= now.getTime())
      .sort((a, b) => a - b);
    // The place that frees first is that of the oldest of the newest `max` tries.
    const oldest = live[live.length - row.max];
    if (oldest !== undefined) wait = Math.max(wait, oldest + Number(row.window_ms) - now.getTime());
  }
  return wait;
}

/**
 * The one mechanism behind every limit on failed tries (API.md v1.1 "Limits under
 * concurrency"): the try is reserved in every bucket before the caller evaluates it, and settled
 * afterwards. Reserving is one statement (`rate_limit_buckets`, migration 0085): per bucket, an
 * upsert whose update, under the row's lock and on its latest version, drops what the window no
 * longer sees and appends this try only while fewer than `max` remain. A try still being
 * evaluated counts like a failure, so a limit of N lets at most N tries be evaluated per window
 * however many arrive at once; every other try is refused with 429 TOO_MANY_REQUESTS and
 * Retry-After, whether or not it would have been right. Never check, then evaluate, then count.
 *
 * Buckets are locked in name order, so two tries on the same buckets never deadlock. When one
 * bucket is full, the places taken in the others are given back at once (another try may have
 * been refused meanwhile: limits err on the side of the person being guessed at, as they do for
 * a try that is never settled because the process died while evaluating it).
 */
export async function reserveTry(db: Db, limits: readonly Limit[], now: Date): Promise<ReservedTry> {
  if (limits.length === 0) return { succeeded: async () => {}, failed: async () => {} };
  const sorted = [...limits].sort((a, b) => (a.bucket < b.bucket ? -1 : a.bucket > b.bucket ? 1 : 0));
  const taken = await db<{ bucket: string }[]>`
    insert into rate_limit_buckets as b (bucket, max, window_ms, hits)
    select u.bucket, u.max, u.window_ms, array[${now}::timestamptz]
    from unnest(${sorted.map((l) => l.bucket)}::text[], ${sorted.map((l) => l.max)}::int[],
                ${sorted.map((l) => l.windowMs)}::int8[]) with ordinality as u (bucket, max, window_ms, i)
    order by u.i
    on conflict (bucket) do update
    set max = excluded.max, window_ms = excluded.window_ms,
        hits = array(select h from unnest(b.hits) h
                     where h > ${now}::timestamptz - excluded.window_ms * interval '1 millisecond'
                       and h <= ${now}::timestamptz order by h) || ${now}::timestamptz
    where (select count(*) from unnest(b.hits) h
           where h > ${now}::timestamptz - excluded.window_ms * interval '1 millisecond'
             and h <= ${now}::timestamptz) < excluded.max
    returning b.bucket`;
  if (taken.length < limits.length) {
    const got = new Set(taken.map((r) => r.bucket));
    await giveBack(db, [...got], now);
    const full = limits.map((l) => l.bucket).filter((b) => !got.has(b));
    throw tooManyRequests(await retryAfterMs(db, full, now));
  }
  let settled = false;
  const release = async (keep: (limit: Limit) => boolean) => {
    if (settled) return;
    settled = true;
    await giveBack(
      db,
      limits.filter((l) => !keep(l)).map((l) => l.bucket),
      now,
    );
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
 * throws (the database failed, a bug) stays counted, and the error goes through.
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
