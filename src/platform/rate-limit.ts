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
  let retryAfterMs = 0;
  for (const limit of limits) {
    const since = new Date(now.getTime() - limit.windowMs);
    const rows = await db<{ n: number; oldest: Date | null }[]>`
      select count(*)::int as n, min(at) as oldest from (
        select at from rate_limit_hits where bucket = ${limit.bucket} and at > ${since} and at <= ${now}
        order by at desc limit ${limit.max}) recent`;
    const row = rows[0];
    if (row && row.n >= limit.max && row.oldest) {
      retryAfterMs = Math.max(retryAfterMs, row.oldest.getTime() + limit.windowMs - now.getTime());
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
