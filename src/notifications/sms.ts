/** One SMS as handed to the SMS gateway. */
export interface OutgoingSms {
  outboxId: number;
  to: string;
  /** Official sender number (seeds [ORD 24.3]). */
  from: string;
  body: string;
  /** Platform clock at sending. */
  sentAt: Date;
}

/**
 * An SMS gateway. `send` resolves once the gateway has accepted the message and throws
 * otherwise; the outbox id travels as the idempotency key so a retry is not sent twice.
 */
export interface SmsAdapter {
  send(message: OutgoingSms): Promise<void>;
}

/**
 * A gateway reached over HTTP (SMS_API_URL): `POST` JSON `{id, to, from, text}` with an
 * `Idempotency-Key: outbox-<id>` header and, if SMS_API_TOKEN is set, a bearer token.
 * Any 2xx answer is acceptance.
 */
export function httpSmsAdapter(url: string, token?: string): SmsAdapter {
  return {
    async send(message) {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'idempotency-key': `outbox-${message.outboxId}`,
      };
      if (token) headers.authorization = `Bearer ${token}`;
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          id: `outbox-${message.outboxId}`,
          to: message.to,
          from: message.from,
          text: message.body,
        }),
        signal: AbortSignal.timeout(10_000),
      });
      if (!response.ok) {
        throw new Error(`SMS gateway answered ${response.status}`);
      }
    },
  };
}

export function unconfiguredSmsAdapter(): SmsAdapter {
  return {
    send: async () => {
      throw new Error('No SMS gateway configured: set SMS_API_URL.');
    },
  };
}
