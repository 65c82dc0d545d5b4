import type { App } from '../platform/app-type.js';
import { requireAdmin } from '../platform/auth.js';
import type { Deps } from '../platform/deps.js';
import { getStats } from './get-stats.js';
import { StatsQuery, StatsView } from './stats.schemas.js';

export async function statsRoutes(app: App, deps: Deps): Promise<void> {
  app.get(
    '/api/v1/admin/stats',
    {
      preHandler: requireAdmin(deps),
      schema: {
        tags: ['operators'],
        security: [{ bearer: [] }],
        summary:
          'Live figures: orders per hour, draw/payment/pickup funnel, purchases per channel, stock per city',
        querystring: StatsQuery,
        response: { 200: StatsView },
      },
    },
    async (request) => getStats(request.query, deps),
  );
}
