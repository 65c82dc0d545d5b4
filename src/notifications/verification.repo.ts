import type { Db } from '../platform/db.js';
import type { RecipientChannel } from '../rules/recipient.js';

export interface SentMessage {
  channel: RecipientChannel;
  sentAt: Date;
  summary: string;
}

/**
 * The message the platform sent with this reference to the recipient of this blind index, if
 * any (migration 0086). One statement for both halves, so a wrong reference and a wrong
 * recipient cost the same query. Only a sent message counts: `recipient_index` is recorded
 * when the receiver accepted it, with `sent_at`.
 */
export async function sentMessage(
  db: Db,
  reference: string,
  channel: RecipientChannel,
  recipientIndex: Buffer,
): Promise<SentMessage | undefined> {
  const [row] = await db<{ channel: RecipientChannel; sentAt: Date; summary: string | null }[]>`
    select channel, sent_at as "sentAt", summary from outbox
    where reference = ${reference} and recipient_index = ${recipientIndex} and channel = ${channel}
      and sent_at is not null`;
  return row ? { channel: row.channel, sentAt: row.sentAt, summary: row.summary ?? '' } : undefined;
}
