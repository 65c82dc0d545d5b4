import type { Deps } from './deps.js';

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

/**
 * How long rows stay after they stop mattering, by the platform clock (docs/RELIABILITY.md).
 * Each bound is far beyond the longest time the row can still be read:
 * - a challenge lives 5 minutes (API.md): kept an hour past its expiry;
 * - the longest rate-limit window is an hour (failed order look-ups per ID): a bucket whose newest
 *   try is a day old is deleted (an empty one too);
 * - partners retry a call within minutes or hours: idempotency records kept a week.
 */
export const RETENTION = {
  challengesAfterExpiry: HOUR,
  rateLimitHits: DAY,
  idempotencyKeys: 7 * DAY,
} as const;

/** Rows deleted per statement: short transactions, short locks, bounded WAL per step. */
const BATCH = 5_000;

export interface PruneResult {
  challenges: number;
  rateLimitHits: number;
  idempotencyKeys: number;
}

async function pruneInBatches(run: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await run();
    total += n;
    if (n < BATCH) return total;
  }
}

/** One pass: deletes expired challenges, old rate-limit hits and old idempotency records. */
export async function pruneExpired(deps: Pick<Deps, 'sql' | 'clock'>): Promise<PruneResult> {
  const { sql } = deps;
  const now = deps.clock.now().getTime();
  const challengesBefore = new Date(now - RETENTION.challengesAfterExpiry);
  const hitsBefore = new Date(now - RETENTION.rateLimitHits);
  const keysBefore = new Date(now - RETENTION.idempotencyKeys);
  const challenges = await pruneInBatches(
    async () =>
      (
        await sql`delete from challenges where ctid = any(array(
          select ctid from challenges where expires_at < ${challengesBefore} limit ${BATCH}))`
      ).count,
  );
  const rateLimitHits = await pruneInBatches(
    async () =>
      (
        await sql`delete from rate_limit_buckets where ctid = any(array(
          select ctid from rate_limit_buckets
          where coalesce(hits[cardinality(hits)], '-infinity') < ${hitsBefore} limit ${BATCH}))`
      ).count,
  );
  const idempotencyKeys = await pruneInBatches(
    async () =>
      (
        await sql`delete from idempotency_keys where ctid = any(array(
          select ctid from idempotency_keys where created_at < ${keysBefore} and status is not null
          limit ${BATCH}))`
      ).count,
  );
  return { challenges, rateLimitHits, idempotencyKeys };
}

export interface Maintenance {
  /** Runs one pass now (also what the timer runs); never throws, failures are logged. */
  runOnce(): Promise<PruneResult | null>;
  stop(): Promise<void>;
}

/**
 * The periodic maintenance task of one process, on real timers (the demo clock stands still):
 * every `intervalMs` it prunes what no request can read any more. Several processes may run it
 * at once; the deletes are idempotent. `intervalMs` 0 starts no timer.
 */
export function startMaintenance(deps: Pick<Deps, 'sql' | 'clock' | 'log'>, intervalMs: number): Maintenance {
  let running: Promise<PruneResult | null> | null = null;
  let stopped = false;
  const runOnce = (): Promise<PruneResult | null> => {
    if (stopped) return Promise.resolve(null);
    if (running) return running;
    running = pruneExpired(deps)
      .then((result) => {
        const pruned = result.challenges + result.rateLimitHits + result.idempotencyKeys;
        if (pruned > 0) deps.log.info({ pruned: result }, 'maintenance: pruned expired rows');
        return result;
      })
      .catch((error: unknown) => {
        const code = (error as { code?: unknown } | null)?.code;
        deps.log.warn(
          { failure: typeof code === 'string' ? code : 'unknown' },
          'maintenance: pruning failed',
        );
        return null;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = intervalMs > 0 ? setInterval(() => void runOnce(), intervalMs) : undefined;
  timer?.unref();
  return {
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
