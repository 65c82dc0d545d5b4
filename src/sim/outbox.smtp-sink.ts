import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { parseMail } from '../notifications/mime.js';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db.js';
import { batchedReceivedStore } from './outbox.repo.js';

export interface SmtpSink {
  /** `smtp://127.0.0.1:<port>`: where the platform's e-mail goes when SIMULATORS=on and SMTP_URL is unset. */
  url: string;
  close(): Promise<void>;
}

const MAX_MESSAGE_BYTES = 1024 * 1024;

/**
 * A real SMTP server on a free local port (the `smtp-server` package) standing in for the
 * citizens' mail providers. Each message is parsed and stored by its Message-ID (`ON CONFLICT
 * DO NOTHING`) before the server answers 250, so "accepted" means "durably stored" and a
 * resend of the same message is stored once. Messages arriving together on several connections
 * are committed together (batchedReceivedStore). Stored messages survive restarts.
 */
export async function startSmtpSink(db: Db, clock: Clock): Promise<SmtpSink> {
  const received = batchedReceivedStore(db);
  const server = new SMTPServer({
    logger: false,
    secure: false,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: MAX_MESSAGE_BYTES,
    banner: 'eMask simulated mail provider',
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error: Error) => callback(error));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          callback(Object.assign(new Error('Message too large'), { responseCode: 552 }));
          return;
        }
        const raw = Buffer.concat(chunks);
        const mail = parseMail(raw);
        const key = mail.messageId ?? `<sha256-${createHash('sha256').update(raw).digest('hex')}@sink>`;
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : (mail.from ?? '');
        const receivedAt = clock.now();
        const stored = session.envelope.rcptTo.map((rcpt) =>
          received.store({
            key,
            channel: 'email',
            to: rcpt.address,
            from,
            subject: mail.subject ?? null,
            body: mail.text,
            sentAt: mail.date ?? receivedAt,
            receivedAt,
          }),
        );
        Promise.all(stored).then(
          () => callback(),
          () => callback(Object.assign(new Error('Mailbox temporarily unavailable'), { responseCode: 451 })),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
