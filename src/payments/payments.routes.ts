import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { App } from '../platform/app-type.js';
import { citizenOf, requireCitizen } from '../platform/auth.js';
import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { noStore } from '../platform/no-store.js';
import { applyBankNotice } from './apply-bank-notice.js';
import { applyBankNoticeBatch } from './apply-bank-notice-batch.js';
import {
  BANK_SIGNATURE_HEADER,
  BANK_TIMESTAMP_HEADER,
  isFreshTimestamp,
  isValidBankSignature,
} from './bank-signature.js';
import type { CardGateway } from './card-gateway.js';
import { payByCard } from './pay-by-card.js';
import {
  BankNoticeBatchBody,
  BankNoticeBatchView,
  BankNoticeBody,
  BankNoticeView,
  CardPaymentBody,
  CardPaymentView,
  MAX_NOTICES_PER_BATCH,
  OrderIdParams,
} from './payments.schemas.js';

/** The bank's signature headers, as the OpenAPI document shows them. */
const bankHeaders = {
  type: 'object',
  properties: {
    [BANK_TIMESTAMP_HEADER]: { type: 'string', description: 'unix seconds' },
    [BANK_SIGNATURE_HEADER]: {
      type: 'string',
      description: 'v1=<hex HMAC-SHA256 of "<timestamp>.<body>">',
    },
  },
} as const;

/**
 * Body limit of a bulk delivery: 512 bytes per notice, twice the ≈ 250 of the longest valid one
 * (an id of 64 and an account of 40 characters), for spacing; a larger body is 413 PAYLOAD_TOO_LARGE.
 */
const NOTICE_BATCH_BODY_LIMIT = MAX_NOTICES_PER_BATCH * 512;

const header = (request: FastifyRequest, name: string): string | undefined => {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * The bank's signature over the exact bytes it sent, checked before anything is validated or
 * done: a bad or missing signature, or a stale timestamp, is 401 AUTH_FAILED.
 */
function requireBankSignature(deps: Deps, rawBodies: WeakMap<FastifyRequest, Buffer>) {
  return async (request: FastifyRequest) => {
    const timestamp = header(request, BANK_TIMESTAMP_HEADER);
    const signature = header(request, BANK_SIGNATURE_HEADER);
    const raw = rawBodies.get(request);
    if (!timestamp || !signature || !raw) {
      throw new AppError('AUTH_FAILED', 'The notice is not signed.', { reason: 'missing_signature' });
    }
    if (!isValidBankSignature(deps.config.bankNoticeSecret, timestamp, raw, signature)) {
      throw new AppError('AUTH_FAILED', 'The notice signature is not valid.', { reason: 'bad_signature' });
    }
    if (!isFreshTimestamp(timestamp, deps.clock.now())) {
      throw new AppError('AUTH_FAILED', 'The notice timestamp is too old or in the future.', {
        reason: 'stale_timestamp',
      });
    }
  };
}

/** The card acquirer (chosen by the composition root, src/adapters.ts). */
export interface PaymentsAdapters {
  cardGateway: CardGateway;
}

export async function paymentsRoutes(app: App, deps: Deps, adapters: PaymentsAdapters): Promise<void> {
  const gateway = adapters.cardGateway;

  app.post(
    '/api/v1/orders/:id/payments/card',
    {
      ...noStore,
      // Signed in first: a caller without a session learns nothing, whatever the body.
      onRequest: requireCitizen(deps),
      schema: {
        tags: ['citizens'],
        security: [{ bearer: [] }],
        summary: 'Pay a selected order by credit card (web sign-in only; any card may pay)',
        params: OrderIdParams,
        body: CardPaymentBody,
        response: { 201: CardPaymentView },
      },
    },
    async (request, reply) => {
      const citizen = citizenOf(request);
      const view = await payByCard(
        {
          orderId: request.params.id,
          personId: citizen.personId,
          channel: citizen.channel,
          card: request.body,
        },
        deps,
        gateway,
      );
      return reply.status(201).send(view);
    },
  );

  // Own scope: the bank's signature covers the raw bytes, so this route keeps them.
  await app.register(async (scope) => {
    const bank = scope.withTypeProvider<TypeBoxTypeProvider>();
    const rawBodies = new WeakMap<FastifyRequest, Buffer>();
    bank.removeContentTypeParser('application/json');
    bank.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
      const raw = body as Buffer;
      rawBodies.set(request, raw);
      try {
        done(null, JSON.parse(raw.toString('utf8')));
      } catch (error) {
        done(error as Error, undefined);
      }
    });
    bank.post(
      '/api/v1/partners/bank/notices',
      {
        preValidation: requireBankSignature(deps, rawBodies),
        schema: {
          tags: ['partners'],
          summary: 'A bank notice of a transfer into a personal virtual account (HMAC-signed)',
          headers: bankHeaders,
          body: BankNoticeBody,
          response: { 200: BankNoticeView },
        },
      },
      async (request) => applyBankNotice(request.body, deps),
    );
    bank.post(
      '/api/v1/partners/bank/notice-batches',
      {
        preValidation: requireBankSignature(deps, rawBodies),
        bodyLimit: NOTICE_BATCH_BODY_LIMIT,
        schema: {
          tags: ['partners'],
          summary:
            "A bank's bulk delivery of 1–1,000 notices (HMAC-signed as one body); one result per notice, in order",
          description:
            'Each result carries what POST /api/v1/partners/bank/notices would have answered for that notice ' +
            'alone: `status` 200 with its `outcome`, or the refusal status with its `error`. All notices are ' +
            'applied in one transaction before the answer.',
          headers: bankHeaders,
          body: BankNoticeBatchBody,
          response: { 200: BankNoticeBatchView },
        },
      },
      async (request) => applyBankNoticeBatch(request.body, deps),
    );
  });
}
