import type { SmsAdapter } from '../notifications/sms.js';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db.js';
import { storeReceived } from './outbox.repo.js';

/**
 * The simulated SMS gateway (SIMULATORS=on): records each SMS in `sim_messages`, keyed by its
 * outbox id, so a retried delivery is recorded once. Acceptance = the row is committed.
 */
export function simulatedSmsAdapter(db: Db, clock: Clock): SmsAdapter {
  return {
    async send(message) {
      await storeReceived(db, {
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
