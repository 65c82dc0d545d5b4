import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import { type OpenApiDocument, renderApiReference, renderDocumentPage } from './api-reference.js';
import type { App } from './app-type.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The reference's stylesheet folder, seen from src/platform (tsx) or dist/src/platform (built). */
function assetsDir(): string {
  const candidates = [
    path.resolve(here, '../../api-reference'),
    path.resolve(here, '../../../api-reference'),
  ];
  return candidates.find((dir) => existsSync(dir)) ?? (candidates[0] as string);
}

/**
 * The OpenAPI document, generated from the route schemas, at /docs/json, and the accessible API
 * reference rendered from it at /docs (src/platform/api-reference.ts), its stylesheet under
 * /docs/static/. Registered before any route: @fastify/swagger collects the routes as they are added.
 */
export async function registerOpenApi(app: App): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Name-based rationing platform (口罩實名制 2.0)',
        description: 'The HTTP contract of ../shared/API.md, generated from the route schemas.',
        version: '1',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      },
    },
  });
  await app.register(fastifyStatic, {
    root: assetsDir(),
    prefix: '/docs/static/',
    decorateReply: false,
    dotfiles: 'deny',
    index: false,
  });
  // The document is complete once every route is registered: rendered at the first request, once.
  let reference: string | undefined;
  let documentPage: string | undefined;
  const documentOf = () => app.swagger() as unknown as OpenApiDocument;
  app.get('/docs', { schema: { hide: true } }, async (_request, reply) => {
    reference ??= renderApiReference(documentOf());
    return reply.type('text/html; charset=utf-8').send(reference);
  });
  app.get('/docs/json', { schema: { hide: true } }, async (request, reply) => {
    // A browser (Accept: text/html) gets a titled page in a language; tools get the JSON.
    if ((request.headers.accept ?? '').includes('text/html')) {
      documentPage ??= renderDocumentPage(documentOf());
      return reply.type('text/html; charset=utf-8').send(documentPage);
    }
    return documentOf();
  });
}
