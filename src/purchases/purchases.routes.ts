import type { App } from '../platform/app-type.js';
import { citizenOf, requireCitizen } from '../platform/auth.js';
import type { Deps } from '../platform/deps.js';
import { noStore } from '../platform/no-store.js';
import { listPurchases } from './list-purchases.js';
import { PurchaseRecordView } from './purchases.schemas.js';

export async function purchasesRoutes(app: App, deps: Deps): Promise<void> {
  app.get(
    '/api/v1/me/purchases',
    {
      ...noStore,
      preHandler: requireCitizen(deps),
      schema: {
        tags: ['citizens'],
        security: [{ bearer: [] }],
        summary: 'My purchase record across every channel and the next day I may buy',
        response: { 200: PurchaseRecordView },
      },
    },
    async (request) => listPurchases({ personId: citizenOf(request).personId }, deps),
  );
}
