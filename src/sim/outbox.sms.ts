import type { SmsAdapter } from '../notifications/sms.js';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db.js';
import { batchedReceivedStore } from './outbox.repo.js';

/**
 * The simulated SMS gateway (SIMULATORS=on): records each SMS in `sim_messages`, keyed by its
 * outbox id, so a retried delivery is recorded once. Acceptance = the row is committed
 * (concurrent messages share one commit).
 */
export function simulatedSmsAdapter(db: Db, clock: Clock): SmsAdapter {
  const received = batchedReceivedStore(db);
  return {
    async send(message) {
      await received.store({
        key: `sms:${message.outboxId}`,
        channel: 'sms',
        to: message.to,
        from: message.from,
        subject: null,
        body: message.body,
        sentAt: message.sentAt,
        receivedAt: clock.now(),
      });
    },
  };
}
