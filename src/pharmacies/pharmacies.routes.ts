import type { App } from '../platform/app.js';
import { requirePartner } from '../platform/auth.js';
import type { Deps } from '../platform/deps.js';
import { fingerprintOf, IdempotencyHeaders, idempotencyKeyOf, sendOutcome } from '../platform/idempotency.js';
import { PharmacyParams, SaleBody, SaleView, StockBody, StockView } from './pharmacies.schemas.js';
import { sellAtPharmacy } from './sell-at-pharmacy.js';
import { updateStock } from './update-stock.js';

const SALE_DESCRIPTION = [
  'Checks, in this order (what a pharmacist needs first):',
  '1. 404 UNKNOWN_CARD: card not issued or replaced by a reissue;',
  '2. 422 CARD_NOT_PRESENT: the signature of a fresh, unused challenge does not verify;',
  '3. 409 WRONG_DAY_FOR_ID (+allowedWeekdays): odd/even rule, Sunday open to all;',
  '4. 422 CHILD_ITEM_NOT_ALLOWED: child pack for someone over the age limit (16) on the day;',
  '5. 409 NOT_YET_ELIGIBLE (+nextEligibleOn): interval rule over every channel, paid eMask orders included;',
  '6. 409 OUT_OF_STOCK.',
  'From step 3 on, the challenge is used up even when the sale is refused.',
  'Idempotency-Key: a retry with the same key answers the first status and body (header',
  '`Idempotent-Replayed: true`) and changes nothing; refusals from step 3 on are recorded too;',
  'the same key with a different body is 409 IDEMPOTENCY_KEY_REUSED. Keys are per pharmacy.',
].join('\n');

export async function pharmacyRoutes(app: App, deps: Deps): Promise<void> {
  // The key is checked before the body is parsed: a caller without the pharmacy's key learns nothing.
  const pharmacy = { onRequest: requirePartner(deps, 'pharmacy', 'code') };
  const tags = ['partners'];
  const security = [{ bearer: [] }];

  app.post(
    '/api/v1/pharmacies/:code/sales',
    {
      ...pharmacy,
      schema: {
        tags,
        security,
        summary: 'Sell one pack on the spot to the holder of a present NHI card',
        description: SALE_DESCRIPTION,
        params: PharmacyParams,
        headers: IdempotencyHeaders,
        body: SaleBody,
        response: { 201: SaleView },
      },
    },
    async (request, reply) => {
      const outcome = await sellAtPharmacy(
        {
          pharmacyCode: request.params.code,
          cardNo: request.body.cardNo,
          challengeId: request.body.challengeId,
          cardSignature: request.body.cardSignature,
          item: request.body.item,
          idempotencyKey: idempotencyKeyOf(request.headers['idempotency-key']),
          fingerprint: fingerprintOf('POST', 'sales', request.body),
        },
        deps,
      );
      return sendOutcome(reply, outcome);
    },
  );

  app.put(
    '/api/v1/pharmacies/:code/stock',
    {
      ...pharmacy,
      schema: {
        tags,
        security,
        summary: "Report the pharmacy's stock, in masks",
        params: PharmacyParams,
        headers: IdempotencyHeaders,
        body: StockBody,
        response: { 200: StockView },
      },
    },
    async (request, reply) => {
      const outcome = await updateStock(
        {
          pharmacyCode: request.params.code,
          adult: request.body.adult,
          child: request.body.child,
          idempotencyKey: idempotencyKeyOf(request.headers['idempotency-key']),
          fingerprint: fingerprintOf('PUT', 'stock', request.body),
        },
        deps,
      );
      return sendOutcome(reply, outcome);
    },
  );
}
