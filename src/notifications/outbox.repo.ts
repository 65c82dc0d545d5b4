import type { Db, Sql, Tx } from '../platform/db.js';

export interface OutboxRow {
  id: number;
  channel: 'email' | 'sms';
  recipient: string;
  sender: string;
  subject: string | null;
  body: string;
  /** Attempts made before this one. */
  attempts: number;
}

/** A message the receiver accepted, with the blind index of its canonical recipient (migration 0086). */
export interface SentRow extends OutboxRow {
  recipientIndex: Buffer;
}

export type RetryPlan = { retryAfter: Date; nextAttemptAt: Date } | { givenUpAt: Date };

/** Due messages locked by one worker for the length of one transaction. */
export interface OutboxBatch {
  rows: OutboxRow[];
  /**
   * Only after the server accepted each of them; one statement for all. Records with `sent_at`
   * the recipient's blind index, which message verification compares (src/notifications/
   * verify-message.ts): a message is confirmed to its recipient from the moment it was sent.
   */
  markSent(rows: readonly SentRow[], now: Date): Promise<void>;
  /** Record the failed attempt and when to retry (or that attempts ran out). */
  markFailed(row: OutboxRow, error: string, plan: RetryPlan): Promise<void>;
}

/**
 * The worker's view of the outbox table (migrations 0002, 0040). Due-ness is judged by the
 * worker's wall clock (`wall`), business times (`sent_at`, `next_attempt_at`) by the platform
 * clock: the demo clock stands still, and delivery must not wait for it to move.
 */
export interface OutboxStore {
  /**
   * Locks up to `limit` due messages, oldest first (`FOR UPDATE SKIP LOCKED`: other workers
   * take other rows), runs `work` on them and commits. The row locks are the claim: if the
   * process dies mid-batch its connection drops, the locks go and the rows are due again at
   * once; what was already accepted is resent with the same id and deduplicated downstream.
   */
  inBatch<T>(
    limit: number,
    maxAttempts: number,
    wall: Date,
    work: (batch: OutboxBatch) => Promise<T>,
  ): Promise<T>;
  /** Messages due now (locked by a worker or not). */
  countDue(maxAttempts: number, wall: Date): Promise<number>;
  /** At start-up: what waits out a backoff is tried again now (the cause may be fixed). */
  retryWaiting(): Promise<number>;
}

function batchOps(tx: Tx): Omit<OutboxBatch, 'rows'> {
  return {
    async markSent(rows, now) {
      if (rows.length === 0) return;
      const ids = rows.map((r) => String(r.id));
      const indexes = rows.map((r) => r.recipientIndex.toString('hex'));
      // A savepoint: a failure here leaves the batch's transaction usable for markFailed. The
      // rows are locked by this transaction, so `attempts + 1` is the attempt just made.
      await tx.savepoint(
        (sp) => sp`update outbox o set sent_at = ${now}, attempts = o.attempts + 1, retry_after = null,
            recipient_index = decode(v.recipient_index, 'hex')
          from unnest(${ids}::text[]::int8[], ${indexes}::text[]) as v (id, recipient_index)
          where o.id = v.id and o.sent_at is null`,
      );
    },
    async markFailed(row, error, plan) {
      const message = error.slice(0, 1000);
      await tx.savepoint((sp) =>
        'givenUpAt' in plan
          ? sp`update outbox set attempts = ${row.attempts + 1}, last_error = ${message},
                given_up_at = ${plan.givenUpAt}
              where id = ${row.id} and sent_at is null`
          : sp`update outbox set attempts = ${row.attempts + 1}, last_error = ${message},
                retry_after = ${plan.retryAfter}, next_attempt_at = ${plan.nextAttemptAt}
              where id = ${row.id} and sent_at is null`,
      );
    },
  };
}

export function sqlOutboxStore(sql: Sql): OutboxStore {
  const due = (db: Db, maxAttempts: number, wall: Date) => db`
    sent_at is null and given_up_at is null and attempts < ${maxAttempts}
    and (retry_after is null or retry_after <= ${wall})`;
  return {
    inBatch(limit, maxAttempts, wall, work) {
      return sql.begin(async (tx) => {
        const rows = await tx<OutboxRow[]>`
          select id, channel, recipient, sender, subject, body, attempts from outbox
          where ${due(tx, maxAttempts, wall)}
          order by id
          limit ${limit}
          for update skip locked`;
        return work({ rows: [...rows], ...batchOps(tx) });
      }) as Promise<Awaited<ReturnType<typeof work>>>;
    },

    async countDue(maxAttempts, wall) {
      const [row] = await sql<{ n: number }[]>`
        select count(*)::int as n from outbox where ${due(sql, maxAttempts, wall)}`;
      return row?.n ?? 0;
    },

    async retryWaiting() {
      const result = await sql`update outbox set retry_after = null
        where sent_at is null and given_up_at is null and retry_after is not null`;
      return result.count;
    },
  };
}
