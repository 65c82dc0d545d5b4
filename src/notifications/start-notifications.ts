import { expandSelectedEmails } from '../draw/draw.repo.js';
import { type Clock, realClock } from '../platform/clock.js';
import { loadConfig } from '../platform/config.js';
import type { Deps } from '../platform/deps.js';
import { simulatedSmsAdapter } from '../sim/outbox.sms.js';
import { type SmtpSink, startSmtpSink } from '../sim/outbox.smtp-sink.js';
import { type DeliveryOptions, DeliveryWorker } from './delivery-worker.js';
import {
  DEFAULT_SMTP_CONNECTIONS,
  type EmailSender,
  SINK_SMTP_CONNECTIONS,
  smtpEmailSender,
  unconfiguredEmailSender,
} from './email.js';
import { type OutboxStore, sqlOutboxStore } from './outbox.repo.js';
import { httpSmsAdapter, type SmsAdapter, unconfiguredSmsAdapter } from './sms.js';

export interface Notifications {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Deliver every due message now (bounded); see DeliveryWorker.drain. */
  drain(timeoutMs?: number): Promise<boolean>;
  /** Where e-mail is sent, once started (the local SMTP sink's address with SIMULATORS=on). */
  smtpUrl(): string | undefined;
}

export interface NotificationsOverrides {
  email?: EmailSender;
  sms?: SmsAdapter;
  store?: OutboxStore;
  wallClock?: Clock;
  options?: Partial<DeliveryOptions>;
  /** Another environment for SMTP_CONNECTIONS and the SMS gateway (tests), read through the config schema. */
  env?: Record<string, string | undefined>;
}

/**
 * The notification machinery of one process: the delivery worker, its senders and, with
 * SIMULATORS=on and no SMTP_URL, the local SMTP server that stands in for mail providers.
 * E-mail: config.smtpUrl (SMTP_URL) → real SMTP; else simulators → local sink; else failing.
 * SMS: simulators → simulated gateway (database); else SMS_API_URL (+ SMS_API_TOKEN) → HTTP.
 * Every setting comes from the configuration (src/platform/config.ts).
 */
export function createNotifications(deps: Deps, overrides: NotificationsOverrides = {}): Notifications {
  let sink: SmtpSink | undefined;
  let email: EmailSender | undefined;
  let worker: DeliveryWorker | undefined;
  let url: string | undefined;
  let unlisten: (() => Promise<void>) | undefined;
  const settings = overrides.env ? loadConfig(overrides.env) : deps.config;

  return {
    async start() {
      if (worker) return;
      if (overrides.email) {
        email = overrides.email;
      } else {
        url = deps.config.smtpUrl;
        if (!url && deps.config.simulators) {
          sink = await startSmtpSink(deps.sql, deps.clock);
          url = sink.url;
        }
        // SMTP_CONNECTIONS: connections to the mail server (default: email.ts).
        const connections =
          settings.smtpConnections ?? (sink ? SINK_SMTP_CONNECTIONS : DEFAULT_SMTP_CONNECTIONS);
        email = url ? smtpEmailSender(url, { connections }) : unconfiguredEmailSender();
      }
      const smsUrl = settings.smsApiUrl;
      const sms =
        overrides.sms ??
        (deps.config.simulators
          ? simulatedSmsAdapter(deps.sql, deps.clock)
          : smsUrl
            ? httpSmsAdapter(smsUrl, settings.smsApiToken)
            : unconfiguredSmsAdapter());
      const running = new DeliveryWorker({
        store: overrides.store ?? sqlOutboxStore(deps.sql),
        clock: deps.clock,
        wallClock: overrides.wallClock ?? realClock,
        email,
        sms,
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
      await sink?.close();
      sink = undefined;
    },

    drain: async (timeoutMs) => (worker ? worker.drain(timeoutMs) : false),
    smtpUrl: () => url,
  };
}
