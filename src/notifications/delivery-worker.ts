// Over 300 lines: one worker (claim, send, retry, back-off, stop) whose parts share its loop state.
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../platform/clock.js';
import type { Vault } from '../platform/vault.js';
import type { EmailSender } from './email.js';
import { onOutboxKick } from './kick.js';
import type { OutboxBatch, OutboxRow, OutboxStore, SentRow } from './outbox.repo.js';
import { recipientIndex, recipientKind } from './reference.js';
import type { SmsAdapter } from './sms.js';

export interface DeliveryOptions {
  /** Messages claimed (and marked sent) per transaction. */
  batchSize: number;
  /**
   * Messages in flight at once within a batch (each recipient's messages still go out one after
   * the other, in claim order). E-mail beyond the SMTP pool's connections waits in its queue.
   */
  concurrency: number;
  /** Attempts before a message is given up (it stays in the table with its last error). */
  maxAttempts: number;
  /** First retry delay; doubles with every failed attempt up to `maxBackoffMs`. */
  baseBackoffMs: number;
  maxBackoffMs: number;
  /** Safety-net polling interval (kicks and NOTIFY normally wake the worker first). */
  pollMs: number;
}

export const DEFAULT_DELIVERY: DeliveryOptions = {
  batchSize: 1000,
  concurrency: 128,
  maxAttempts: 10,
  baseBackoffMs: 1_000,
  maxBackoffMs: 15 * 60 * 1000,
  pollMs: 2_000,
};

/** Delay before the retry that follows failed attempt number `attempts` (1-based). */
export function backoffMs(attempts: number, baseMs: number, maxMs: number): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  return Math.min(maxMs, baseMs * 2 ** exponent);
}

export interface DeliveryWorkerDeps {
  store: OutboxStore;
  /** Platform clock: the times written on messages (sent_at, Date header). */
  clock: Clock;
  /** Real time: backoff and polling (the demo clock stands still). */
  wallClock: Clock;
  email: EmailSender;
  sms: SmsAdapter;
  log: FastifyBaseLogger;
  /** Opens the sealed recipients (docs/SECURITY.md "Personal data at rest"). */
  vault: Vault;
  /**
   * Turns queued message templates into outbox rows, one chunk per call (a drawn round's
   * selection e-mails, src/draw/draw.repo.ts `expandSelectedEmails`); returns how much it did,
   * 0 when nothing is left. Called when a claim leaves room in the batch.
   */
  expand?: () => Promise<number>;
  options?: Partial<DeliveryOptions>;
}

/** A claimed row with its recipient read (see DeliveryWorker.address). */
interface Addressed {
  row: OutboxRow;
  to: string;
  /** Blind index of the canonical recipient, recorded when it is sent (message verification). */
  recipientIndex: Buffer;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What may be logged about a failure: never the message text, which can name the recipient. */
function failureTag(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${error.name}:${code}` : error.name;
  }
  return 'unknown';
}

/**
 * Delivers the durable outbox (SPEC §8): claims due messages in batches (`FOR UPDATE SKIP
 * LOCKED`, so several processes can run workers), sends each, and marks it sent only after
 * the server accepted it. A failure is recorded with exponential backoff and, after
 * `maxAttempts`, the message is given up (kept, with its last error). A crash between
 * acceptance and marking leads to a retry with the same Message-ID / outbox id, which the
 * receiver deduplicates: at-least-once sending + idempotent receipt = each message once.
 */
export class DeliveryWorker {
  private readonly options: DeliveryOptions;
  private chain: Promise<unknown> = Promise.resolve();
  private running = false;
  private pumping = false;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;

  constructor(private readonly deps: DeliveryWorkerDeps) {
    this.options = { ...DEFAULT_DELIVERY, ...deps.options };
  }

  /** Begin delivering; messages that were waiting out a backoff are tried again at once. */
  async start(): Promise<void> {
    if (this.running) return;
    await this.deps.store.retryWaiting();
    this.running = true;
    this.unsubscribe = onOutboxKick(() => this.kick());
    this.kick();
  }

  /** Look for due messages now (after a commit that enqueued some). */
  kick(): void {
    if (!this.running) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    void this.pump();
  }

  /**
   * Deliver until nothing due is left, or `timeoutMs` passed. Messages waiting out a backoff
   * are not due and are not waited for. True when nothing due is left.
   */
  async drain(timeoutMs = 5_000): Promise<boolean> {
    const deadline = this.deps.wallClock.now().getTime() + timeoutMs;
    try {
      while (this.running) {
        const claimed = await this.exclusive(() => this.runBatch());
        const late = this.deps.wallClock.now().getTime() >= deadline;
        if (claimed > 0) {
          if (late) return false;
          continue;
        }
        // Nothing claimable: done unless another worker still holds due messages.
        const due = await this.deps.store.countDue(this.options.maxAttempts, this.deps.wallClock.now());
        if (due === 0) return true;
        if (late) return false;
        await sleep(25);
      }
    } catch (error) {
      // The caller reads what has arrived so far; the worker keeps retrying on its own.
      this.deps.log.warn({ failure: failureTag(error) }, 'outbox: draining failed');
    }
    return false;
  }

  /** Stop polling and wait for the batch in hand (its unattempted rows are left untouched). */
  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.chain;
  }

  /**
   * One claim-and-send round; returns how many messages were claimed. The batch's messages go
   * out concurrently (one lane per recipient, so a person's messages keep their order), and
   * those the receivers accepted are marked sent together at the end, in the claim's
   * transaction. A crash before that commit resends them with the same ids: the receivers
   * deduplicate, so each message is still delivered once.
   */
  async runBatch(): Promise<number> {
    const claimed = await this.claimAndSend();
    const expanded = claimed < this.options.batchSize && this.deps.expand ? await this.deps.expand() : 0;
    return claimed + expanded;
  }

  private async claimAndSend(): Promise<number> {
    const { store, wallClock } = this.deps;
    return store.inBatch(this.options.batchSize, this.options.maxAttempts, wallClock.now(), async (batch) => {
      const accepted: SentRow[] = [];
      const refused: { row: OutboxRow; error: unknown }[] = [];
      const lanes = new Map<string, Addressed[]>();
      for (const row of batch.rows) {
        let message: Addressed;
        try {
          message = this.address(row);
        } catch (error) {
          // An unreadable recipient fails this message (with backoff), not the whole batch.
          refused.push({ row, error });
          continue;
        }
        const lane = lanes.get(message.to);
        if (lane) lane.push(message);
        else lanes.set(message.to, [message]);
      }
      const queue = [...lanes.values()];
      const runLanes = async () => {
        for (let lane = queue.shift(); lane; lane = queue.shift()) {
          for (const message of lane) {
            if (!this.running) return;
            try {
              await this.send(message);
              accepted.push({ ...message.row, recipientIndex: message.recipientIndex });
            } catch (error) {
              refused.push({ row: message.row, error });
            }
          }
        }
      };
      const workers = Math.min(this.options.concurrency, queue.length);
      await Promise.all(Array.from({ length: workers }, runLanes));
      await this.markSent(batch, accepted);
      for (const { row, error } of refused) await this.fail(batch, row, error);
      return batch.rows.length;
    });
  }

  /**
   * THE place where delivery reads a message's recipient from its outbox row: stored sealed
   * (an order's phone or e-mail, copied as sealed), opened here, in memory for the send only.
   * Its blind index (of the canonical form, as verification computes it from what a person
   * types) is what is kept of it once the message is sent.
   */
  private address(row: OutboxRow): Addressed {
    const to = this.deps.vault.open(recipientKind(row.channel), row.recipient);
    return { row, to, recipientIndex: recipientIndex(this.deps.vault, row.channel, to) };
  }

  private async markSent(batch: OutboxBatch, rows: SentRow[]): Promise<void> {
    if (rows.length === 0) return;
    try {
      await batch.markSent(rows, this.deps.clock.now());
    } catch (error) {
      // Accepted but not marked: the retry resends with the same ids, the receivers drop them.
      for (const row of rows) await this.fail(batch, row, error);
    }
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.chain.then(fn);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    try {
      let claimed = 0;
      do {
        this.again = false;
        claimed = await this.exclusive(() => this.runBatch());
      } while (this.running && (claimed > 0 || this.again));
    } catch (error) {
      this.deps.log.warn({ failure: failureTag(error) }, 'outbox: claiming messages failed');
    } finally {
      this.pumping = false;
      if (this.running) {
        this.timer = setTimeout(() => this.kick(), this.options.pollMs);
        this.timer.unref();
      }
    }
  }

  private async send({ row, to }: Addressed): Promise<void> {
    const now = this.deps.clock.now();
    if (row.channel === 'email') {
      await this.deps.email.send({
        outboxId: row.id,
        to,
        from: row.sender,
        subject: row.subject ?? '',
        body: row.body,
        date: now,
      });
    } else {
      await this.deps.sms.send({
        outboxId: row.id,
        to,
        from: row.sender,
        body: row.body,
        sentAt: now,
      });
    }
  }

  private async fail(batch: OutboxBatch, row: OutboxRow, error: unknown): Promise<void> {
    const { clock, wallClock, log } = this.deps;
    const message = error instanceof Error ? error.message : String(error);
    const failure = failureTag(error);
    try {
      const attempts = row.attempts + 1;
      if (attempts >= this.options.maxAttempts) {
        await batch.markFailed(row, message, { givenUpAt: clock.now() });
        log.error({ outboxId: row.id, channel: row.channel, attempts, failure }, 'outbox: gave up');
        return;
      }
      const delay = backoffMs(attempts, this.options.baseBackoffMs, this.options.maxBackoffMs);
      await batch.markFailed(row, message, {
        retryAfter: new Date(wallClock.now().getTime() + delay),
        nextAttemptAt: new Date(clock.now().getTime() + delay),
      });
      log.warn(
        { outboxId: row.id, channel: row.channel, attempts, retryInMs: delay, failure },
        'outbox: delivery failed, will retry',
      );
    } catch (recordError) {
      // The database is unreachable too: the batch rolls back, its locks go, the message is retried.
      log.error({ outboxId: row.id, failure: failureTag(recordError) }, 'outbox: could not record failure');
    }
  }
}
