import type { App } from '../platform/app-type.js';
import { requirePartner } from '../platform/auth.js';
import type { Deps } from '../platform/deps.js';
import { fingerprintOf, IdempotencyHeaders, idempotencyKeyOf, sendOutcome } from '../platform/idempotency.js';
import { noStore } from '../platform/no-store.js';
import { checkEligibility } from './check-eligibility.js';
import {
  EligibilityBody,
  EligibilityView,
  PharmacyParams,
  SaleBody,
  SaleView,
  StockBody,
  StockView,
} from './pharmacies.schemas.js';
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
  'Steps 3–6 are decided by the same function as POST /api/v1/pharmacies/{code}/eligibility, the',
  'read-only check a POS makes first (docs/PHARMACY.md).',
  'Idempotency-Key: a retry with the same key answers the first status and body (header',
  '`Idempotent-Replayed: true`) and changes nothing; refusals from step 3 on are recorded too;',
  'the same key with a different body is 409 IDEMPOTENCY_KEY_REUSED. Keys are per pharmacy.',
].join('\n');

const ELIGIBILITY_DESCRIPTION = [
  'Before selling, the POS asks whether the holder of the card in its reader may buy today, and why not',
  '(docs/PHARMACY.md). The card proves presence exactly as for a sale: a fresh challenge from',
  'POST /api/v1/auth/challenges signed by the card, used up by this call (a sale after it needs another).',
  '404 UNKNOWN_CARD and 422 CARD_NOT_PRESENT as for a sale; otherwise 200 with the verdict per pack.',
  'Each pack is assessed by the same rules in the same order as the sale (weekday, child age, interval,',
  'stock): `items.<pack>.reason` is exactly the error object a sale of that pack would answer now, and',
  '`reasons` lists every rule that refuses a pack today, in that order. A snapshot: the sale decides.',
  'Writes nothing but the used-up challenge and an audit row without personal data.',
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

  app.post(
    '/api/v1/pharmacies/:code/eligibility',
    {
      ...pharmacy,
      ...noStore,
      schema: {
        tags,
        security,
        summary: 'May the holder of a present NHI card buy today, and if not why (read-only check)',
        description: ELIGIBILITY_DESCRIPTION,
        params: PharmacyParams,
        body: EligibilityBody,
        response: { 200: EligibilityView },
      },
    },
    async (request) =>
      checkEligibility(
        {
          pharmacyCode: request.params.code,
          cardNo: request.body.cardNo,
          challengeId: request.body.challengeId,
          cardSignature: request.body.cardSignature,
        },
        deps,
      ),
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
