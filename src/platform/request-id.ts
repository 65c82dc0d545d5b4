import type { IncomingMessage } from 'node:http';
import { uuidV7 } from '../identity/challenges.js';
import type { App } from './app-type.js';
import { pooledRandomBytes } from './random.js';

/** An incoming `X-Request-Id` used as is: a short token, nothing a log line or header could be bent by. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * The request's correlation id (logs, the `X-Request-Id` response header, a 500's
 * `correlationId`): the caller's `X-Request-Id` when it is a sane token (a proxy or partner
 * correlating its own logs), else a fresh UUIDv7, unique across processes and restarts and
 * ordered by time. Any other header value is ignored, never logged or echoed.
 */
export function requestId(raw: IncomingMessage, now: Date): string {
  const incoming = raw.headers['x-request-id'];
  if (typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming)) return incoming;
  return uuidV7(now, pooledRandomBytes(10));
}

/**
 * The request id in every answer's `X-Request-Id`. Installed first of the hooks, so that every
 * answer carries it, a shed 503 included (`frameworkErrors` sets it itself, src/platform/http-errors.ts).
 */
export function installRequestIdHeader(app: App): void {
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
}
