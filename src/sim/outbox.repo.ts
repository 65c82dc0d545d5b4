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
  const rows = await db`
    insert into sim_messages (message_key, channel, recipient, sender, subject, body, sent_at, received_at)
    values (${m.key}, ${m.channel}, ${normaliseRecipient(m.to)}, ${m.from}, ${m.subject}, ${m.body},
            ${m.sentAt}, ${m.receivedAt})
    on conflict (message_key, recipient) do nothing
    returning id`;
  return rows.length > 0;
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
