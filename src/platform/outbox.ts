import type postgres from 'postgres';
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

/** The message's reference belongs to another message already (about never): draw another. */
export class ReferenceTaken extends Error {
  constructor() {
    super('this message reference is taken already');
    this.name = 'ReferenceTaken';
  }
}

/**
 * Queue a message in the caller's transaction (SPEC §8): it is committed with the state
 * change it reports, or not at all. The delivery worker sends it later, and records the blind
 * index of its recipient when it is sent (what verification compares, migration 0086). A
 * message whose dedupe key is queued already changes nothing; one whose reference is taken
 * throws ReferenceTaken, leaving the caller's transaction usable (`on conflict do nothing`).
 */
export async function enqueueMessage(db: Db, message: OutgoingMessage, now: Date): Promise<void> {
  const inserted = await db`
    insert into outbox (channel, recipient, sender, subject, body, reference, summary, dedupe_key,
                        created_at, next_attempt_at)
    values (${message.channel}, ${message.to}, ${message.from}, ${message.subject ?? null}, ${message.body},
            ${message.reference}, ${message.summary}, ${message.dedupeKey}, ${now}, ${now})
    on conflict do nothing
    returning id`;
  if (inserted.length > 0) return;
  const [queued] = await db`select 1 from outbox where dedupe_key = ${message.dedupeKey}`;
  if (!queued) throw new ReferenceTaken();
}

/**
 * `enqueueMessage` for a message built around its reference (`build` writes it into the body),
 * drawn by `draw`: a reference taken already is drawn again, so the caller's state change (a
 * card payment already charged) never fails for it.
 */
export async function enqueueWithReference(
  db: Db,
  build: (reference: string) => OutgoingMessage,
  now: Date,
  draw: () => string,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await enqueueMessage(db, build(draw()), now);
    } catch (error) {
      if (!(error instanceof ReferenceTaken) || attempt >= 5) throw error;
    }
  }
}

/**
 * Many messages queued in ONE statement, for the batched paths (the draw's selection e-mails,
 * src/draw/draw.repo.ts; a bank notice batch's pickup SMS, src/payments/payments.repo.ts): `rows`
 * selects channel, recipient, sender, subject, body, reference, summary, dedupe_key, created_at,
 * next_attempt_at, in this order (the recipient is usually copied in SQL from the order, sealed
 * as stored). A dedupe key queued already is skipped; a reference taken already (about never)
 * fails the statement, which the caller repeats with new references. Awaited, it runs on its own;
 * put inside another statement (`queued as (${enqueueRows(tx, rows)})`) it is part of that one,
 * so a batch keeps its number of statements.
 */
export function enqueueRows(db: Db, rows: postgres.PendingQuery<postgres.Row[]>) {
  return db`
    insert into outbox (channel, recipient, sender, subject, body, reference, summary, dedupe_key,
                        created_at, next_attempt_at)
    ${rows}
    on conflict (dedupe_key) do nothing`;
}
