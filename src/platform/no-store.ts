import type { App } from './app-type.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The answer carries personal data or a secret: `Cache-Control: no-store` (see `noStore`). */
    noStore?: boolean;
  }
}

/**
 * Route option for answers that carry personal data or secrets (API.md v1.1: sign-ins, `/me/*`,
 * the order look-up; also operator sign-in, issued card keys and API keys, pickup slips with the
 * buyer's masked name). Spread into the route's options: `{ ...noStore, schema: … }`.
 * Every answer of such a route, success or error (validation, 401, 429, 503 alike), carries
 * `Cache-Control: no-store`, and none carries an `ETag` or `Last-Modified` (nothing can then
 * answer a conditional request with 304 from a copy). docs/SECURITY.md "Output hygiene".
 */
export const noStore = { config: { noStore: true } } as const;

/** Registered once, before the routes (src/routes.ts): applies `noStore` routes' headers on send. */
export function installNoStore(app: App): void {
  app.addHook('onSend', (request, reply, payload, done) => {
    if (request.routeOptions.config?.noStore) {
      reply.header('cache-control', 'no-store');
      reply.removeHeader('etag');
      reply.removeHeader('last-modified');
    }
    done(null, payload);
  });
}
