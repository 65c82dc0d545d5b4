import type { App } from '../platform/app-type.js';
import { requirePartner } from '../platform/auth.js';
import type { Deps } from '../platform/deps.js';
import { fingerprintOf, IdempotencyHeaders, idempotencyKeyOf, sendOutcome } from '../platform/idempotency.js';
import { AirportSaleBody, AirportSaleView, CounterParams } from './airport.schemas.js';
import { sellAtAirport } from './sell-at-airport.js';

export async function airportRoutes(app: App, deps: Deps): Promise<void> {
  app.post(
    '/api/v1/airport-counters/:id/sales',
    {
      onRequest: requirePartner(deps, 'airport', 'id'),
      schema: {
        tags: ['partners'],
        security: [{ bearer: [] }],
        summary: 'Sell one set to an arriving traveller',
        description:
          'One set per person per period (no odd/even rule at arrivals). Nationals and residents are ' +
          'sold by `nhi_card` or `arc` and share the purchase record of every other channel; travellers ' +
          'are tracked by passport number. A `passport` whose number is a valid Taiwan national ID or ' +
          'resident certificate (ARC/UI) number, check digit included, is refused with 422 ' +
          '`NOT_A_PASSPORT` (`presentAs`: `nhi_card` or `arc`): tracked as a passport it would be a ' +
          'second purchase record of that person, so a national who bought with the NHI card could buy ' +
          'again the same day by typing the ID as a passport. A code of its own rather than ' +
          "`DOCUMENT_MISMATCH`, which means a document that is not the buyer's at pickup: here the " +
          "document is the buyer's, given as the wrong type, and the counter can retry at once with " +
          'the type in `presentAs`.',
        params: CounterParams,
        headers: IdempotencyHeaders,
        body: AirportSaleBody,
        response: { 201: AirportSaleView },
      },
    },
    async (request, reply) => {
      const outcome = await sellAtAirport(
        {
          counterId: request.params.id,
          document: { type: request.body.document.type, number: request.body.document.number },
          item: request.body.item,
          currency: request.body.currency,
          idempotencyKey: idempotencyKeyOf(request.headers['idempotency-key']),
          fingerprint: fingerprintOf('POST', 'airport-sales', request.body),
        },
        deps,
      );
      return sendOutcome(reply, outcome);
    },
  );
}
