import { Type } from 'typebox';
import type { Notifications } from '../notifications/start-notifications.js';
import type { App } from '../platform/app-type.js';
import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { noStore } from '../platform/no-store.js';
import { toTaipeiIso } from '../rules/taipei-date.js';
import { receivedMessages } from './outbox.repo.js';

const OutboxQuery = Type.Object({
  to: Type.Optional(Type.String({ minLength: 1, maxLength: 320 })),
});

const SimMessageView = Type.Object({
  channel: Type.Union([Type.Literal('email'), Type.Literal('sms')]),
  to: Type.String(),
  from: Type.String(),
  subject: Type.Optional(Type.String()),
  body: Type.String(),
  sentAt: Type.String({ format: 'date-time' }),
});

const OutboxView = Type.Object({ messages: Type.Array(SimMessageView) });

/** How long a read waits for due messages to be delivered first. */
const DRAIN_TIMEOUT_MS = 5_000;

/**
 * What the simulated mail provider and SMS gateway received (API.md "Simulation"), in sending
 * order. Only with SIMULATORS=on; otherwise 404. Delivers every due message first, so a
 * message enqueued by a call that has returned is here.
 */
export async function simOutboxRoutes(app: App, deps: Deps, notifications: Notifications): Promise<void> {
  const requireSimulators = async () => {
    if (!deps.config.simulators) throw new AppError('UNKNOWN_ROUTE', 'Simulators are off.');
  };
  app.get(
    '/api/v1/sim/outbox',
    {
      ...noStore,
      schema: { tags: ['simulation'], querystring: OutboxQuery, response: { 200: OutboxView } },
      preHandler: requireSimulators,
    },
    async (request) => {
      await notifications.drain(DRAIN_TIMEOUT_MS);
      const rows = await receivedMessages(deps.sql, request.query.to, 1000);
      return {
        messages: rows.map((r) => ({
          channel: r.channel,
          to: r.recipient,
          from: r.sender,
          ...(r.subject !== null ? { subject: r.subject } : {}),
          body: r.body,
          sentAt: toTaipeiIso(r.sent_at),
        })),
      };
    },
  );
}
