import type { CitizenCa } from './identity/login-with-certificate.js';
import { HttpTelecomAdapter, type TelecomAdapter, unconfiguredTelecom } from './identity/telecom.js';
import {
  DEFAULT_SMTP_CONNECTIONS,
  SINK_SMTP_CONNECTIONS,
  smtpEmailSender,
  unconfiguredEmailSender,
} from './notifications/email.js';
import { httpSmsAdapter, type SmsAdapter, unconfiguredSmsAdapter } from './notifications/sms.js';
import type { MailTransport } from './notifications/start-notifications.js';
import { type CardGateway, httpCardGateway, unconfiguredCardGateway } from './payments/card-gateway.js';
import type { Deps } from './platform/deps.js';
import { simulatedCardGateway } from './sim/card-gateway.js';
import { storedCitizenCa } from './sim/moica.repo.js';
import { simulatedSmsAdapter } from './sim/outbox.sms.js';
import { type SmtpSink, startSmtpSink } from './sim/outbox.smtp-sink.js';
import { SimulatedTelecom } from './sim/telecom.simulator.js';

/**
 * The partners of the platform, each chosen once from the configuration: the composition root's
 * choices (called by src/server.ts only; feature modules hold the interfaces, src/sim/ the
 * simulators). SIMULATORS=on picks every simulator; otherwise each partner's own variables pick
 * the real adapter, and without them the partner answers 503 / fails the delivery.
 */
export interface Adapters {
  telecom: TelecomAdapter;
  cardGateway: CardGateway;
  sms: SmsAdapter;
  mail: MailTransport;
  citizenCa: CitizenCa;
}

type AdapterDeps = Pick<Deps, 'sql' | 'clock' | 'config'>;

export function buildAdapters(deps: AdapterDeps): Adapters {
  return {
    telecom: telecomAdapter(deps),
    cardGateway: cardGatewayFor(deps),
    sms: smsAdapterFor(deps),
    mail: mailTransportFor(deps),
    citizenCa: storedCitizenCa(deps.sql),
  };
}

/** SIMULATORS=on → the simulator; else TELECOM_API_URL (+ TELECOM_API_KEY as a bearer token); else 503. */
export function telecomAdapter(deps: Pick<Deps, 'sql' | 'config'>): TelecomAdapter {
  if (deps.config.simulators) return new SimulatedTelecom(deps.sql);
  const { telecomApiUrl, telecomApiKey } = deps.config;
  if (!telecomApiUrl) return unconfiguredTelecom();
  return new HttpTelecomAdapter(telecomApiUrl, { apiKey: telecomApiKey });
}

/** SIMULATORS=on → the simulated acquirer; else CARD_GATEWAY_URL (+ CARD_GATEWAY_TOKEN); else 503. */
export function cardGatewayFor(deps: Pick<Deps, 'config'>): CardGateway {
  if (deps.config.simulators) return simulatedCardGateway();
  const { cardGatewayUrl, cardGatewayToken } = deps.config;
  if (cardGatewayUrl) return httpCardGateway(cardGatewayUrl, cardGatewayToken);
  return unconfiguredCardGateway();
}

/** SIMULATORS=on → the simulated gateway (database); else SMS_API_URL (+ SMS_API_TOKEN); else failing. */
export function smsAdapterFor(deps: AdapterDeps): SmsAdapter {
  if (deps.config.simulators) return simulatedSmsAdapter(deps.sql, deps.clock);
  const { smsApiUrl, smsApiToken } = deps.config;
  return smsApiUrl ? httpSmsAdapter(smsApiUrl, smsApiToken) : unconfiguredSmsAdapter();
}

/**
 * SMTP_URL → real SMTP; else SIMULATORS=on → the local SMTP sink (started when delivery starts);
 * else failing. SMTP_CONNECTIONS: connections to the mail server (default: email.ts).
 */
export function mailTransportFor(deps: AdapterDeps): MailTransport {
  const { config } = deps;
  let sink: SmtpSink | undefined;
  return {
    async open() {
      let url = config.smtpUrl;
      if (!url && config.simulators) {
        sink = await startSmtpSink(deps.sql, deps.clock);
        url = sink.url;
      }
      const connections = config.smtpConnections ?? (sink ? SINK_SMTP_CONNECTIONS : DEFAULT_SMTP_CONNECTIONS);
      return { sender: url ? smtpEmailSender(url, { connections }) : unconfiguredEmailSender(), url };
    },
    async close() {
      await sink?.close();
      sink = undefined;
    },
  };
}
