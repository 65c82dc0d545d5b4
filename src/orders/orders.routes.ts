import type { App } from '../platform/app-type.js';
import { citizenOf, requireCitizen } from '../platform/auth.js';
import type { Deps } from '../platform/deps.js';
import { noStore } from '../platform/no-store.js';
import { RoundIdParams } from '../rounds/rounds.schemas.js';
import { listMyOrders } from './list-my-orders.js';
import { lookupOrders } from './lookup-orders.js';
import { LookupBody, LookupView, MyOrdersView, PlacedOrderView, PlaceOrderBody } from './orders.schemas.js';
import { placeOrder } from './place-order.js';

export async function ordersRoutes(app: App, deps: Deps): Promise<void> {
  const security = [{ bearer: [] }];

  app.put(
    '/api/v1/rounds/:id/order',
    {
      ...noStore,
      schema: {
        tags: ['citizens'],
        security,
        params: RoundIdParams,
        body: PlaceOrderBody,
        response: { 200: PlacedOrderView },
      },
      preHandler: requireCitizen(deps),
    },
    async (request) => {
      const citizen = citizenOf(request);
      const order = await placeOrder(
        { ...request.body, roundId: request.params.id, personId: citizen.personId, channel: citizen.channel },
        deps,
      );
      return { order };
    },
  );

  app.get(
    '/api/v1/me/orders',
    {
      ...noStore,
      schema: { tags: ['citizens'], security, response: { 200: MyOrdersView } },
      preHandler: requireCitizen(deps),
    },
    async (request) => {
      const { personId, channel } = citizenOf(request);
      return { orders: await listMyOrders({ personId, channel }, deps) };
    },
  );

  app.post(
    '/api/v1/orders/lookup',
    {
      ...noStore,
      schema: {
        tags: ['public'],
        description:
          'Anonymous order look-up by national ID + last 3 digits of the order’s phone [ORD 14.1]. A wrong pair answers exactly like "no orders". Each try is reserved before it is evaluated: after 10 failed tries for one ID within an hour, or 30 a minute from one client address, every try (right or wrong) is refused with 429 TOO_MANY_REQUESTS and Retry-After until the window passes, however many arrive at once; right pairs are not counted. The pickup serial is never returned (it reaches the buyer by SMS and in /me/orders).',
        body: LookupBody,
        response: { 200: LookupView },
      },
    },
    async (request) => ({
      orders: await lookupOrders({ ...request.body, clientAddress: request.ip }, deps),
    }),
  );
}
