import type { Db } from '../platform/db.js';

/** Phones are compared by their digits, e-mail addresses case-insensitively. */
export function normaliseRecipient(to: string): string {
  const trimmed = to.trim();
  return trimmed.includes('@') ? trimmed.toLowerCase() : trimmed.replace(/\D/g, '');
}

export interface ReceivedMessage {
  /** E-mail: its Message-ID; SMS: `sms:<outbox id>`. The same key is stored once. */
  key: string;
  channel: 'email' | 'sms';
  to: string;
  from: string;
  subject: string | null;
  body: string;
  sentAt: Date;
  receivedAt: Date;
}

/** Store what a simulated partner received; a redelivery of the same key changes nothing. */
export async function storeReceived(db: Db, m: ReceivedMessage): Promise<boolean> {
  return (await storeReceivedMany(db, [m])) > 0;
}

/**
 * Several received messages in one statement (one commit): a key already stored, or repeated
 * within the list, is stored once. Returns how many were new.
 */
export async function storeReceivedMany(db: Db, messages: readonly ReceivedMessage[]): Promise<number> {
  if (messages.length === 0) return 0;
  const rows = await db`
    insert into sim_messages (message_key, channel, recipient, sender, subject, body, sent_at, received_at)
    select * from unnest(${messages.map((m) => m.key)}::text[], ${messages.map((m) => m.channel)}::text[],
      ${messages.map((m) => normaliseRecipient(m.to))}::text[], ${messages.map((m) => m.from)}::text[],
      ${messages.map((m) => m.subject)}::text[], ${messages.map((m) => m.body)}::text[],
      ${messages.map((m) => m.sentAt.toISOString())}::timestamptz[],
      ${messages.map((m) => m.receivedAt.toISOString())}::timestamptz[])
    on conflict (message_key, recipient) do nothing
    returning id`;
  return rows.length;
}

/** Stores received messages; resolves once the message is committed. */
export interface ReceivedStore {
  store(message: ReceivedMessage): Promise<void>;
}

/**
 * Group commit for the simulated partners: messages that arrive while writes are in flight are
 * written together by the next one (one multi-row INSERT, one commit), so the sink's cost per
 * message falls as load rises (one writer measured cheapest: fewer, larger commits). Each caller
 * still waits for its own message to be committed before it answers (SMTP 250 / gateway
 * acceptance): durability before acceptance is unchanged.
 */
export function batchedReceivedStore(
  db: Db,
  options: { maxBatch?: number; writers?: number } = {},
): ReceivedStore {
  const maxBatch = options.maxBatch ?? 1000;
  const writers = options.writers ?? 1;
  type Waiting = { message: ReceivedMessage; resolve: () => void; reject: (error: unknown) => void };
  let queue: Waiting[] = [];
  let writing = 0;
  const write = async (): Promise<void> => {
    writing += 1;
    try {
      while (queue.length > 0) {
        const batch = queue.length <= maxBatch ? queue : queue.slice(0, maxBatch);
        queue = queue.length <= maxBatch ? [] : queue.slice(maxBatch);
        try {
          await storeReceivedMany(
            db,
            batch.map((w) => w.message),
          );
          for (const w of batch) w.resolve();
        } catch (error) {
          for (const w of batch) w.reject(error);
        }
      }
    } finally {
      writing -= 1;
    }
  };
  return {
    store(message) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ message, resolve, reject });
        if (writing < writers) void write();
      });
    },
  };
}

export interface SimMessageRow {
  channel: 'email' | 'sms';
  recipient: string;
  sender: string;
  subject: string | null;
  body: string;
  sent_at: Date;
}

/** In the order they were received, which is the order they were sent. */
export async function receivedMessages(
  db: Db,
  to: string | undefined,
  limit: number,
): Promise<SimMessageRow[]> {
  const recipient = to === undefined ? null : normaliseRecipient(to);
  return db<SimMessageRow[]>`
    select channel, recipient, sender, subject, body, sent_at from sim_messages
    where ${recipient}::text is null or recipient = ${recipient}
    order by id
    limit ${limit}`;
}
