import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyServerOptions, LogController } from 'fastify';
import { installAdmissionControl, RECEIVE_CHECK_INTERVAL_MS, receiveTimeoutMs } from './admission.js';
import type { App } from './app-type.js';
import { answerExpectationFailed, clientErrorHandler } from './client-errors.js';
import type { Deps } from './deps.js';
import { frameworkErrorHandler, installErrorHandlers } from './http-errors.js';
import { loggerOptions } from './logger.js';
import { registerOpenApi } from './openapi.js';
import { installRequestIdHeader, requestId } from './request-id.js';
import { installSecurityHeaders } from './security-headers.js';

/**
 * The Fastify instance with the platform's cross-cutting machinery, one concern per file in
 * src/platform/ (request ids, admission control, security headers, error shapes, OpenAPI), and
 * no route: the composition root (src/server.ts) registers those.
 */
export async function buildApp(
  deps: Deps,
  options: { logger?: FastifyServerOptions['logger'] } = {},
): Promise<App> {
  let logRequests = false;
  const app = Fastify({
    logger: options.logger ?? loggerOptions(deps.config.logLevel),
    bodyLimit: deps.config.bodyLimit,
    // A request's headers and body must arrive within the receive timeout, on every route (Node's
    // http.Server checks it every RECEIVE_CHECK_INTERVAL_MS); fastify sets `requestTimeout` on
    // the server it creates (its default, 0, would switch Node's own 300 s bound off), the rest
    // is passed to http.createServer. No `connectionTimeout` (socket inactivity): it would also
    // cut an operator's draw whose answer takes tens of seconds to come.
    requestTimeout: receiveTimeoutMs(deps.config.requestTimeoutMs),
    http: {
      requestTimeout: receiveTimeoutMs(deps.config.requestTimeoutMs),
      headersTimeout: receiveTimeoutMs(deps.config.requestTimeoutMs),
      connectionsCheckingInterval: RECEIVE_CHECK_INTERVAL_MS,
    },
    // One log line per request costs more CPU than many handlers: requests are logged only at
    // LOG_LEVEL debug or trace (method, route template and id: never the URL with its values).
    logController: new LogController({ disableRequestLogging: () => !logRequests }),
    trustProxy: false,
    clientErrorHandler,
    frameworkErrors: frameworkErrorHandler,
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
    // The platform clock stamps the id, as it stamps everything else (a manual clock included).
    genReqId: (raw) => requestId(raw, deps.clock.now()),
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Clients often send Content-Type: application/json with no body on calls that take none
  // (POST /auth/challenges, /devices/codes): treat an empty body as absent, not as bad JSON.
  const defaultJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') done(null, undefined);
    else defaultJson(request, text, done);
  });

  logRequests = app.log.level === 'debug' || app.log.level === 'trace';
  app.server.on('checkExpectation', answerExpectationFailed);
  deps.log = app.log;
  app.decorateRequest('principal', null);

  // The hooks, in this order on every request: the request id first (so that every answer carries
  // it, a shed 503 included), then admission control, then the security headers.
  installRequestIdHeader(app);
  installAdmissionControl(app, deps, deps.config.maxInFlight);
  installSecurityHeaders(app);
  installErrorHandlers(app);

  await registerOpenApi(app);
  return app;
}
