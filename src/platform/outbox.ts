import type { Db } from './db.js';

export interface OutgoingMessage {
  channel: 'email' | 'sms';
  to: string;
  from: string;
  subject?: string;
  body: string;
  /** Same key, same message: enqueueing it again changes nothing. */
  dedupeKey: string;
}

/**
 * Queue a message in the caller's transaction (SPEC §8): it is committed with the state
 * change it reports, or not at all. The delivery worker sends it later.
 */
export async function enqueueMessage(db: Db, message: OutgoingMessage, now: Date): Promise<void> {
  await db`
    insert into outbox (channel, recipient, sender, subject, body, dedupe_key, created_at, next_attempt_at)
    values (${message.channel}, ${message.to}, ${message.from}, ${message.subject ?? null}, ${message.body},
            ${message.dedupeKey}, ${now}, ${now})
    on conflict (dedupe_key) do nothing`;
}
