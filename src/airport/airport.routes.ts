import type { App } from '../platform/app.js';
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
