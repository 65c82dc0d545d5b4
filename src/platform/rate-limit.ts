import { createHash } from 'node:crypto';
import type { Db } from './db.js';
import { AppError } from './errors.js';

/** At most `max` counted events per `windowMs` in one bucket. */
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

/**
 * Refuse with 429 TOO_MANY_REQUESTS and a Retry-After (seconds) when any of the limits is
 * already reached; counting happens separately with `recordHit`, so callers decide what counts
 * (e.g. only failed look-ups, API.md `POST /orders/lookup`).
 */
export async function assertUnderLimits(db: Db, limits: readonly Limit[], now: Date): Promise<void> {
  if (limits.length === 0) return;
  // One statement for all the limits (each is a handful of index entries): the look-ups and
  // sign-ins that check them are on the launch's hot paths.
  const rows = await db<{ n: number; oldest: Date | null; window_ms: number }[]>`
    select count(r.at)::int as n, min(r.at) as oldest, b.window_ms
    from unnest(${limits.map((l) => l.bucket)}::text[], ${limits.map((l) => l.max)}::int[],
                ${limits.map((l) => l.windowMs)}::int8[]) with ordinality as b (bucket, max, window_ms, i)
    left join lateral (
      select at from rate_limit_hits h
      where h.bucket = b.bucket and h.at > ${now}::timestamptz - b.window_ms * interval '1 millisecond'
        and h.at <= ${now}
      order by at desc limit b.max) r on true
    group by b.i, b.max, b.window_ms
    having count(r.at) >= b.max`;
  let retryAfterMs = 0;
  for (const row of rows) {
    if (row.oldest) {
      retryAfterMs = Math.max(retryAfterMs, row.oldest.getTime() + Number(row.window_ms) - now.getTime());
    }
  }
  if (retryAfterMs > 0) {
    const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
    throw new AppError(
      'TOO_MANY_REQUESTS',
      `Too many attempts. Try again in ${seconds} seconds.`,
      { retryAfterSeconds: seconds },
      { 'Retry-After': String(seconds) },
    );
  }
}

/** Count one event against each bucket (and prune what no window can see any more). */
export async function recordHit(db: Db, buckets: readonly Limit[], now: Date): Promise<void> {
  for (const limit of buckets) {
    await db`insert into rate_limit_hits (bucket, at) values (${limit.bucket}, ${now})`;
    await db`delete from rate_limit_hits where bucket = ${limit.bucket} and at < ${new Date(now.getTime() - limit.windowMs)}`;
  }
}
