import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../platform/app-type.js';
import type { Deps } from '../platform/deps.js';
import { acceptsGzip, gzipEtag, notModified } from './conditional.js';
import { databaseStockSource, type Representation, type Snapshot, StockSnapshots } from './snapshot.js';

/** Map apps may poll; a shared cache may keep a copy for a second, then must revalidate. */
const CACHE_CONTROL = 'public, max-age=1, must-revalidate';

function send(
  request: FastifyRequest,
  reply: FastifyReply,
  snapshot: Snapshot,
  rep: Representation,
  contentType: string,
) {
  const gzip = acceptsGzip(request.headers['accept-encoding']);
  const etag = gzip ? gzipEtag(rep.etag) : rep.etag;
  reply
    .header('etag', etag)
    .header('last-modified', snapshot.lastModified.toUTCString())
    .header('cache-control', CACHE_CONTROL)
    .header('vary', 'Accept-Encoding')
    .header('access-control-allow-origin', '*')
    .header('access-control-expose-headers', 'ETag, Last-Modified');
  if (notModified(request.headers, rep.etag, snapshot.lastModified)) {
    return reply.status(304).send();
  }
  reply.header('content-type', contentType);
  if (gzip) reply.header('content-encoding', 'gzip');
  return reply.status(200).send(gzip ? rep.gzipped : rep.body);
}

/**
 * NHI-style open data of pharmacy stock (SPEC §4), served from an in-memory snapshot
 * (docs/OPEN-DATA.md says how fresh it is).
 */
export async function openDataRoutes(app: App, deps: Deps): Promise<void> {
  const snapshots = new StockSnapshots(databaseStockSource(deps.sql));
  const tags = ['public'];

  app.get(
    '/api/v1/open-data/pharmacy-stock.csv',
    {
      schema: {
        tags,
        summary: "Pharmacy mask stock in NHI's CSV column layout (UTF-8, conditional GET, gzip)",
      },
    },
    async (request, reply) => {
      const snapshot = await snapshots.get();
      return send(request, reply, snapshot, snapshot.csv, 'text/csv; charset=utf-8');
    },
  );

  app.get(
    '/api/v1/open-data/pharmacy-stock.json',
    {
      schema: {
        tags,
        summary:
          'Pharmacy mask stock as a GeoJSON FeatureCollection ([lng, lat]; geometry null where unknown)',
      },
    },
    async (request, reply) => {
      const snapshot = await snapshots.get();
      return send(request, reply, snapshot, snapshot.json, 'application/json; charset=utf-8');
    },
  );
}
