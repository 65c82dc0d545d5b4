import type { Db } from './db.js';
import type { Vault } from './vault.js';

export interface OutgoingMessage {
  channel: 'email' | 'sms';
  /**
   * The recipient, SEALED (src/platform/vault.ts): kind 'email' for e-mail, 'phone' for SMS. It
   * usually comes sealed from the order (`orders.email`, `orders.phone`); `sealRecipient` seals
   * one typed elsewhere. The delivery worker opens it to send.
   */
  to: string;
  from: string;
  subject?: string;
  /** Written by the message's builder (src/notifications/messages.ts), with its reference in it. */
  body: string;
  /**
   * The reference the body carries after `查證碼：` (src/notifications/reference.ts), unique:
   * what the recipient checks on the official site (docs/NOTIFICATIONS.md "Checking a message").
   */
  reference: string;
  /** What the verification page says the message was: its kind, no personal data. */
  summary: string;
  /** Same key, same message: enqueueing it again changes nothing. */
  dedupeKey: string;
}

/** A recipient sealed as the outbox stores it. */
export function sealRecipient(vault: Vault, channel: OutgoingMessage['channel'], to: string): string {
  return vault.seal(channel === 'sms' ? 'phone' : 'email', to);
}

/**
 * Queue a message in the caller's transaction (SPEC §8): it is committed with the state
 * change it reports, or not at all. The delivery worker sends it later, and records the blind
 * index of its recipient when it is sent (what verification compares, migration 0086).
 */
export async function enqueueMessage(db: Db, message: OutgoingMessage, now: Date): Promise<void> {
  await db`
    insert into outbox (channel, recipient, sender, subject, body, reference, summary, dedupe_key,
                        created_at, next_attempt_at)
    values (${message.channel}, ${message.to}, ${message.from}, ${message.subject ?? null}, ${message.body},
            ${message.reference}, ${message.summary}, ${message.dedupeKey}, ${now}, ${now})
    on conflict (dedupe_key) do nothing`;
}
