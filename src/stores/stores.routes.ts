import type { App } from '../platform/app-type.js';
import { adminOf, requireAdmin } from '../platform/auth.js';
import type { Deps } from '../platform/deps.js';
import { closeStore } from './close-store.js';
import { findSuccessors } from './find-successors.js';
import { findStores, storeView } from './stores.repo.js';
import {
  CloseStoreBody,
  CloseStoreView,
  StoreIdParams,
  StoresQuery,
  StoresView,
  SuccessorsQuery,
} from './stores.schemas.js';

export async function storesRoutes(app: App, deps: Deps): Promise<void> {
  app.get(
    '/api/v1/stores',
    { schema: { tags: ['public'], querystring: StoresQuery, response: { 200: StoresView } } },
    async (request) => {
      const rows = await findStores(deps.sql, { ...request.query, limit: request.query.limit ?? 200 });
      return { stores: rows.map(storeView) };
    },
  );

  app.post(
    '/api/v1/admin/stores/:id/close',
    {
      schema: {
        tags: ['operators'],
        security: [{ bearer: [] }],
        params: StoreIdParams,
        body: CloseStoreBody,
        response: { 200: CloseStoreView },
      },
      preHandler: requireAdmin(deps),
    },
    async (request) =>
      closeStore(
        { storeId: request.params.id, reassignTo: request.body.reassignTo },
        deps,
        adminOf(request).username,
      ),
  );

  app.get(
    '/api/v1/admin/stores/:id/successors',
    {
      schema: {
        tags: ['operators'],
        security: [{ bearer: [] }],
        description:
          'Open stores to move a closing store’s orders to, nearest first: same district, then same city, then the rest (by distance where coordinates are known). Unknown store: 404 UNKNOWN_STORE.',
        params: StoreIdParams,
        querystring: SuccessorsQuery,
        response: { 200: StoresView },
      },
      preHandler: requireAdmin(deps),
    },
    async (request) => {
      const rows = await findSuccessors(request.params.id, request.query.limit ?? 20, deps);
      return { stores: rows.map(storeView) };
    },
  );
}
