import { Readable } from 'node:stream';
import type { App } from '../platform/app-type.js';
import { adminOf, requireAdmin } from '../platform/auth.js';
import type { Deps } from '../platform/deps.js';
import { RoundIdParams } from '../rounds/rounds.schemas.js';
import { DrawBody, DrawResultView, PublishedDrawView } from './draw.schemas.js';
import { exportDraw } from './export-draw.js';
import { publishedDraw } from './published-draw.js';
import { runDraw } from './run-draw.js';

export async function drawRoutes(app: App, deps: Deps): Promise<void> {
  app.post(
    '/api/v1/admin/rounds/:id/draw',
    {
      schema: {
        tags: ['operators'],
        security: [{ bearer: [] }],
        params: RoundIdParams,
        body: DrawBody,
        response: { 200: DrawResultView },
      },
      preHandler: requireAdmin(deps),
    },
    async (request) =>
      runDraw({ roundId: request.params.id, seed: request.body.seed }, deps, adminOf(request).username),
  );

  app.get(
    '/api/v1/rounds/:id/draw',
    { schema: { tags: ['public'], params: RoundIdParams, response: { 200: PublishedDrawView } } },
    async (request) => publishedDraw({ roundId: request.params.id }, deps),
  );

  app.get(
    '/api/v1/rounds/:id/draw/export.csv',
    {
      schema: {
        tags: ['public'],
        params: RoundIdParams,
        produces: ['text/csv'],
        description: 'Every order of a drawn round as `order_id,selected` (no personal data).',
      },
    },
    async (request, reply) => {
      const rows = await exportDraw({ roundId: request.params.id }, deps);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="draw-round-${request.params.id}.csv"`)
        .send(Readable.from(rows));
    },
  );
}
