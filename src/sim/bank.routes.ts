import { randomUUID } from 'node:crypto';
import { bankNoticeHeaders, unixSeconds } from '../payments/bank-signature.js';
import { SimTransferBody, SimTransferView } from '../payments/payments.schemas.js';
import type { App } from '../platform/app-type.js';
import type { Deps } from '../platform/deps.js';
import { AppError, ERROR_STATUS, type ErrorCode } from '../platform/errors.js';

/**
 * The simulated bank (API.md "Simulation", SIMULATORS=on): a transfer into an account makes the
 * bank send its signed notice to the platform's notice endpoint, exactly as a real bank would,
 * and the answer says whether it paid an order. The payment is applied before this returns.
 */
export async function simBankRoutes(app: App, deps: Deps): Promise<void> {
  const requireSimulators = async () => {
    if (!deps.config.simulators) throw new AppError('UNKNOWN_ROUTE', 'Simulators are off.');
  };
  app.post(
    '/api/v1/sim/bank/transfers',
    {
      preHandler: requireSimulators,
      schema: {
        tags: ['simulation'],
        summary: 'Transfer money to an account; the bank notifies the platform',
        body: SimTransferBody,
        response: { 201: SimTransferView },
      },
    },
    async (request, reply) => {
      const now = deps.clock.now();
      const notice = {
        noticeId: `SIM-${randomUUID()}`,
        toAccount: request.body.toAccount,
        amount: request.body.amount,
        transferredAt: now.toISOString(),
      };
      const raw = JSON.stringify(notice);
      const timestamp = unixSeconds(now);
      const delivered = await app.inject({
        method: 'POST',
        url: '/api/v1/partners/bank/notices',
        headers: bankNoticeHeaders(deps.config.bankNoticeSecret, timestamp, raw),
        payload: raw,
      });
      if (delivered.statusCode !== 200) {
        // The platform's own refusal (e.g. 503 + Retry-After while the database is down) is what
        // the bank would see: pass it on rather than turning it into a 500.
        const refusal = delivered.json<{ error?: { code?: string; message?: string } }>().error;
        const code =
          refusal?.code && refusal.code in ERROR_STATUS ? (refusal.code as ErrorCode) : 'SERVICE_UNAVAILABLE';
        const retryAfter = delivered.headers['retry-after'];
        throw new AppError(
          code,
          refusal?.message ?? 'The platform did not take the bank notice.',
          {},
          retryAfter === undefined ? {} : { 'Retry-After': String(retryAfter) },
        );
      }
      const answer = delivered.json<{ matched: boolean }>();
      return reply.status(201).send({ transferId: notice.noticeId, matched: answer.matched });
    },
  );
}
