import type { App } from '../platform/app-type.js';
import { requirePartner } from '../platform/auth.js';
import type { Deps } from '../platform/deps.js';
import { fingerprintOf, idempotencyKeyOf, sendOutcome } from '../platform/idempotency.js';
import { noStore } from '../platform/no-store.js';
import { collectOrder } from './collect-order.js';
import { exchangePacks } from './exchange-packs.js';
import {
  ExchangeBody,
  ExchangeView,
  PickupBody,
  PickupView,
  SlipBody,
  SlipView,
  StoreParams,
} from './pickup.schemas.js';
import { printPickupSlip } from './print-pickup-slip.js';

export async function pickupRoutes(app: App, deps: Deps): Promise<void> {
  // The store's own key, checked before the body is parsed: another caller learns nothing.
  const store = { onRequest: requirePartner(deps, 'store', 'id') };
  const tags = ['partners'];
  const security = [{ bearer: [] }];

  app.post(
    '/api/v1/stores/:id/pickup-slips',
    {
      ...store,
      ...noStore,
      schema: {
        tags,
        security,
        summary: 'Print the pickup slip for a serial',
        params: StoreParams,
        body: SlipBody,
        response: { 201: SlipView },
      },
    },
    async (request, reply) =>
      sendOutcome(
        reply,
        await printPickupSlip(
          {
            storeId: request.params.id,
            serial: request.body.serial,
            idempotencyKey: idempotencyKeyOf(request.headers['idempotency-key']),
            fingerprint: fingerprintOf('POST', 'pickup-slips', request.body),
          },
          deps,
        ),
      ),
  );

  app.post(
    '/api/v1/stores/:id/pickups',
    {
      ...store,
      ...noStore,
      schema: {
        tags,
        security,
        summary: "Hand a paid order over against the buyer's (and a proxy's) ID document",
        params: StoreParams,
        body: PickupBody,
        response: { 201: PickupView },
      },
    },
    async (request, reply) =>
      sendOutcome(
        reply,
        await collectOrder(
          {
            storeId: request.params.id,
            serial: request.body.serial,
            buyerDocument: request.body.buyerDocument,
            proxyDocument: request.body.proxyDocument,
            idempotencyKey: idempotencyKeyOf(request.headers['idempotency-key']),
            fingerprint: fingerprintOf('POST', 'pickups', request.body),
          },
          deps,
        ),
      ),
  );

  app.post(
    '/api/v1/stores/:id/exchanges',
    {
      ...store,
      schema: {
        tags,
        security,
        summary: 'Exchange damaged masks on the day of collection, whole packs only',
        params: StoreParams,
        body: ExchangeBody,
        response: { 201: ExchangeView },
      },
    },
    async (request, reply) =>
      sendOutcome(
        reply,
        await exchangePacks(
          {
            storeId: request.params.id,
            serial: request.body.serial,
            packs: request.body.packs,
            idempotencyKey: idempotencyKeyOf(request.headers['idempotency-key']),
            fingerprint: fingerprintOf('POST', 'exchanges', request.body),
          },
          deps,
        ),
      ),
  );
}
