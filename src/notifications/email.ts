import { parseConnectionUrl } from 'nodemailer/lib/shared';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { MAIL_DOMAIN } from './messages.js';
import { buildRawEmail } from './mime.js';

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

/** The bare address of `Name <addr>` (or of a bare address): what the SMTP envelope carries. */
export function envelopeAddress(address: string): string {
  const angle = /<([^<>]*)>\s*$/.exec(address);
  return (angle ? (angle[1] as string) : address).trim();
}

export interface SmtpSenderOptions {
  /**
   * Open SMTP connections. Each carries one message at a time (SMTP has no multiplexing), so
   * this is how many messages are in flight; on each, envelope and DATA are pipelined
   * (RFC 2920) when the server offers PIPELINING.
   */
  connections?: number;
}

/** For a real relay: below common per-client limits (Postfix allows 50 by default). */
export const DEFAULT_SMTP_CONNECTIONS = 32;
/** For the local simulated mail server, which has no such limit: more in flight, larger commits. */
export const SINK_SMTP_CONNECTIONS = 64;

interface Job {
  envelope: { from: string; to: string[] };
  raw: Buffer;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Real SMTP (`smtp://host:port`, `smtps://user:pass@host:465`, `?tls.…` options as nodemailer
 * reads them) over a small pool of nodemailer SMTPConnections. The message is built here
 * (buildRawEmail) and handed over as bytes: nodemailer's Mailer/MIME composer cost more CPU
 * per message than the rest of delivery together (bench/RESULTS.md (g)).
 */
export function smtpEmailSender(smtpUrl: string, options: SmtpSenderOptions = {}): EmailSender {
  const { auth, ...connection } = parseConnectionUrl(smtpUrl);
  const maxConnections = Math.max(1, options.connections ?? DEFAULT_SMTP_CONNECTIONS);
  const queue: Job[] = [];
  /** Connected, logged in and not sending. */
  const idle: SMTPConnection[] = [];
  const open = new Set<SMTPConnection>();
  let lanes = 0;
  let closed = false;

  const discard = (conn: SMTPConnection) => {
    if (!open.delete(conn)) return;
    const at = idle.indexOf(conn);
    if (at >= 0) idle.splice(at, 1);
    conn.close();
  };

  const connect = () =>
    new Promise<SMTPConnection>((resolve, reject) => {
      const conn = new SMTPConnection({
        ...connection,
        // Bounded waits, so a stuck server costs one failed attempt rather than a stuck worker.
        connectionTimeout: 5_000,
        greetingTimeout: 5_000,
        socketTimeout: 15_000,
        logger: false,
      });
      open.add(conn);
      let settled = false;
      const fail = (error: unknown) => {
        discard(conn);
        if (settled) return;
        settled = true;
        reject(error);
      };
      const ready = () => {
        if (settled) return;
        settled = true;
        resolve(conn);
      };
      // Before the handshake ends, an error or a close fails the connecting send; afterwards a
      // connection the server closes (idle timeout) or that breaks is simply never reused. The
      // 'error' listener also keeps such an error from becoming an uncaught exception.
      conn.on('error', fail);
      conn.on('end', () => fail(new Error('SMTP connection closed')));
      conn.connect((error) => {
        if (error) fail(error);
        else if (auth) conn.login(auth, (loginError) => (loginError ? fail(loginError) : ready()));
        else ready();
      });
    });

  const transmit = (conn: SMTPConnection, job: Job) =>
    new Promise<void>((resolve, reject) => {
      conn.send(job.envelope, job.raw, (error, info) => {
        if (error) reject(error);
        else if (info && info.rejected.length > 0) {
          reject(new Error(`SMTP server rejected ${info.rejected.length} recipient(s): ${info.response}`));
        } else resolve();
      });
    });

  /** Sends queued messages one after the other on one connection, until the queue is empty. */
  const lane = async () => {
    lanes += 1;
    let conn: SMTPConnection | undefined;
    try {
      for (let job = queue.shift(); job; job = queue.shift()) {
        try {
          conn ??= idle.pop() ?? (await connect());
          await transmit(conn, job);
          job.resolve();
        } catch (error) {
          // After a failure the session state is unknown: this connection is not used again.
          if (conn) discard(conn);
          conn = undefined;
          job.reject(error);
        }
      }
    } finally {
      lanes -= 1;
      if (conn && open.has(conn)) {
        if (closed) discard(conn);
        else idle.push(conn);
      }
    }
  };

  return {
    send(message) {
      if (closed) return Promise.reject(new Error('The SMTP sender is closed.'));
      const raw = buildRawEmail({
        from: message.from,
        to: message.to,
        subject: message.subject,
        body: message.body,
        date: message.date,
        messageId: messageIdFor(message.outboxId),
        headers: { 'X-Outbox-Id': String(message.outboxId) },
      });
      return new Promise<void>((resolve, reject) => {
        queue.push({
          envelope: { from: envelopeAddress(message.from), to: [envelopeAddress(message.to)] },
          raw,
          resolve,
          reject,
        });
        if (lanes < maxConnections) void lane();
      });
    },
    close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new Error('The SMTP sender is closed.'));
      for (const conn of [...open]) {
        if (idle.includes(conn)) discard(conn);
      }
    },
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
