import { expandSelectedEmails } from '../draw/draw.repo.js';
import { type Clock, realClock } from '../platform/clock.js';
import type { Deps } from '../platform/deps.js';
import { type DeliveryOptions, DeliveryWorker } from './delivery-worker.js';
import type { EmailSender } from './email.js';
import { type OutboxStore, sqlOutboxStore } from './outbox.repo.js';
import type { SmsAdapter } from './sms.js';

/**
 * Where e-mail goes, opened when delivery starts and closed when it stops: real SMTP, the local
 * SMTP sink of the simulators (started by `open`), or nothing. Chosen by the composition root
 * (src/adapters.ts).
 */
export interface MailTransport {
  /** The sender to deliver with, and the SMTP URL it sends to (none when unconfigured). */
  open(): Promise<{ sender: EmailSender; url: string | undefined }>;
  /** Closes what `open` started (the sender itself is closed by the caller). */
  close(): Promise<void>;
}

/** The partners delivery hands messages to. */
export interface NotificationAdapters {
  mail: MailTransport;
  sms: SmsAdapter;
}

export interface Notifications {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Deliver every due message now (bounded); see DeliveryWorker.drain. */
  drain(timeoutMs?: number): Promise<boolean>;
  /** Where e-mail is sent, once started (the local SMTP sink's address with SIMULATORS=on). */
  smtpUrl(): string | undefined;
}

export interface NotificationsOverrides {
  store?: OutboxStore;
  wallClock?: Clock;
  options?: Partial<DeliveryOptions>;
}

/**
 * The notification machinery of one process: the outbox delivery worker over the adapters it is
 * given (src/adapters.ts chooses them from the configuration). Started and stopped by the
 * composition root (src/server.ts), before the pool ends.
 */
export function createNotifications(
  deps: Deps,
  adapters: NotificationAdapters,
  overrides: NotificationsOverrides = {},
): Notifications {
  let email: EmailSender | undefined;
  let worker: DeliveryWorker | undefined;
  let url: string | undefined;
  let unlisten: (() => Promise<void>) | undefined;

  return {
    async start() {
      if (worker) return;
      const opened = await adapters.mail.open();
      email = opened.sender;
      url = opened.url;
      const running = new DeliveryWorker({
        store: overrides.store ?? sqlOutboxStore(deps.sql),
        clock: deps.clock,
        wallClock: overrides.wallClock ?? realClock,
        email,
        sms: adapters.sms,
        log: deps.log,
        vault: deps.vault,
        expand: () => expandSelectedEmails(deps.sql),
        ...(overrides.options ? { options: overrides.options } : {}),
      });
      worker = running;
      try {
        const subscription = await deps.sql.listen('outbox_enqueued', () => running.kick());
        unlisten = () => subscription.unlisten();
      } catch {
        deps.log.warn('outbox: LISTEN failed; delivery falls back to kicks and polling');
      }
      await running.start();
    },

    async stop() {
      await unlisten?.().catch(() => undefined);
      unlisten = undefined;
      await worker?.stop();
      worker = undefined;
      email?.close();
      email = undefined;
      await adapters.mail.close();
    },

    drain: async (timeoutMs) => (worker ? worker.drain(timeoutMs) : false),
    smtpUrl: () => url,
  };
}
