import nodemailer from 'nodemailer';
import { MAIL_DOMAIN } from './messages.js';

export interface OutgoingEmail {
  outboxId: number;
  to: string;
  from: string;
  subject: string;
  body: string;
  /** Platform clock at sending; becomes the Date header. */
  date: Date;
}

/** Resolves once the SMTP server has accepted the message (250 after DATA), throws otherwise. */
export interface EmailSender {
  send(message: OutgoingEmail): Promise<void>;
  close(): void;
}

/**
 * The Message-ID is derived from the outbox row id, so a retried delivery of the same row
 * carries the same ID and an idempotent receiver (the simulated SMTP server, or any MTA that
 * deduplicates) stores it once.
 */
export function messageIdFor(outboxId: number): string {
  return `<outbox-${outboxId}@${MAIL_DOMAIN}>`;
}

/** Real SMTP through nodemailer (`smtp://host:port`, `smtps://user:pass@host:465`, …). */
export function smtpEmailSender(smtpUrl: string): EmailSender {
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    // One pooled connection: messages go out in claim order without a handshake each.
    pool: true,
    maxConnections: 1,
    maxMessages: 500,
    // Bounded waits, so a stuck server costs one failed attempt rather than a stuck worker.
    connectionTimeout: 5_000,
    greetingTimeout: 5_000,
    socketTimeout: 15_000,
  });
  return {
    async send(message) {
      const info = await transport.sendMail({
        from: message.from,
        to: message.to,
        subject: message.subject,
        text: message.body,
        date: message.date,
        messageId: messageIdFor(message.outboxId),
        headers: { 'X-Outbox-Id': String(message.outboxId) },
      });
      if (info.rejected.length > 0) {
        throw new Error(`SMTP server rejected ${info.rejected.length} recipient(s): ${info.response}`);
      }
    },
    close: () => transport.close(),
  };
}

/** When no SMTP server is configured (SIMULATORS off and no SMTP_URL): every attempt fails visibly. */
export function unconfiguredEmailSender(): EmailSender {
  return {
    send: async () => {
      throw new Error('No SMTP server configured: set SMTP_URL.');
    },
    close: () => undefined,
  };
}
