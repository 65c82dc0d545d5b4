import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyServerOptions,
  LogController,
  type RawServerDefault,
} from 'fastify';
import helmet from 'helmet';
import { uuidV7 } from '../identity/challenges.js';
import { registerRoutes } from '../routes.js';
import type { Deps } from './deps.js';
import { AppError, type ErrorCode, errorBody } from './errors.js';
import { pooledRandomBytes } from './random.js';

export type App = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export function loggerOptions(level: string): FastifyServerOptions['logger'] {
  return {
    level,
    // Personal data never reaches the log: only method, route and status of a request.
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
    serializers: {
      req: (req: { method: string; routeOptions?: { url?: string }; url: string; id: string }) => ({
        method: req.method,
        route: req.routeOptions?.url ?? 'unmatched',
        id: req.id,
      }),
    },
  };
}

function fastifyErrorToAppError(error: FastifyError): AppError | null {
  if (error.validation) {
    const fields = error.validation.map((v) => ({
      field: `${error.validationContext ?? 'body'}${v.instancePath || ''}${
        v.keyword === 'required'
          ? `/${String((v.params as { missingProperty?: string }).missingProperty)}`
          : ''
      }`,
      problem: v.message ?? v.keyword,
    }));
    return new AppError(
      'VALIDATION_FAILED',
      `Invalid request: ${fields.map((f) => `${f.field} ${f.problem}`).join('; ')}`,
      { fields },
    );
  }
  const byCode: Record<string, [ErrorCode, string]> = {
    FST_ERR_CTP_BODY_TOO_LARGE: ['PAYLOAD_TOO_LARGE', 'The request body is too large.'],
    FST_ERR_CTP_INVALID_MEDIA_TYPE: ['UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json.'],
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: [
      'VALIDATION_FAILED',
      'The Content-Length header does not match the body.',
    ],
    FST_ERR_CTP_EMPTY_JSON_BODY: ['VALIDATION_FAILED', 'The JSON body is empty.'],
    FST_ERR_CTP_INVALID_JSON_BODY: ['VALIDATION_FAILED', 'The body is not valid JSON.'],
    FST_ERR_BAD_URL: ['NOT_FOUND', 'The URL is malformed.'],
    FST_ERR_ASYNC_CONSTRAINT: ['VALIDATION_FAILED', 'The request could not be routed.'],
  };
  const known = error.code ? byCode[error.code] : undefined;
  if (known) return new AppError(known[0], known[1]);
  // A malformed percent-escape in a path or query (`%E0%A4%A`): the caller's URL, never our fault.
  if (error instanceof URIError) return new AppError('VALIDATION_FAILED', 'The URL is malformed.');
  if (error instanceof SyntaxError) return new AppError('VALIDATION_FAILED', 'The body is not valid JSON.');
  // Any other error that carries a 4xx of its own (a plugin's: @fastify/static's 403 for a path
  // outside its folder, 400 for a NUL byte, 412, 416; the body reader's 400 for an aborted
  // upload) keeps it, with a code in the API's shape: a client's mistake is never a 500.
  const status = httpStatusOf(error);
  if (status !== undefined && status >= 400 && status < 500) {
    const [code, message] = BY_STATUS[status] ?? ['VALIDATION_FAILED', 'The request is malformed.'];
    const headers = status === 416 ? stringHeaders((error as { headers?: unknown }).headers) : {};
    return new AppError(code, message, {}, headers);
  }
  return null;
}

/** The API's code for a 4xx some plugin or Node reported without one of ours. */
const BY_STATUS: Partial<Record<number, [ErrorCode, string]>> = {
  400: ['VALIDATION_FAILED', 'The request is malformed.'],
  401: ['UNAUTHORIZED', 'Sign in first.'],
  403: ['FORBIDDEN', 'This may not be fetched.'],
  404: ['NOT_FOUND', 'Nothing is here.'],
  405: ['METHOD_NOT_ALLOWED', 'This method is not allowed here.'],
  408: ['REQUEST_TIMEOUT', 'The request was not received in time.'],
  409: ['CONFLICT', 'The request conflicts with the current state.'],
  412: ['PRECONDITION_FAILED', 'A precondition of the request does not hold.'],
  413: ['PAYLOAD_TOO_LARGE', 'The request body is too large.'],
  415: ['UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json.'],
  416: ['RANGE_NOT_SATISFIABLE', 'The requested range is not within the file.'],
  417: ['EXPECTATION_FAILED', 'Only "Expect: 100-continue" is supported.'],
  429: ['TOO_MANY_REQUESTS', 'Too many requests.'],
  431: ['HEADERS_TOO_LARGE', 'The request headers are too large.'],
};

function httpStatusOf(error: FastifyError & { status?: unknown }): number | undefined {
  const status = error.statusCode ?? error.status;
  return typeof status === 'number' && Number.isInteger(status) ? status : undefined;
}

/** An error's own headers (a 416's Content-Range), as strings. */
function stringHeaders(headers: unknown): Record<string, string> {
  if (typeof headers !== 'object' || headers === null) return {};
  return Object.fromEntries(
    Object.entries(headers).flatMap(([name, value]) =>
      typeof value === 'string' || typeof value === 'number' ? [[name, String(value)]] : [],
    ),
  );
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (headers beyond the limit, a
 * malformed request line) and requests cut off because their headers or body did not arrive
 * within the receive timeout (ERR_HTTP_REQUEST_TIMEOUT, also once Fastify is waiting for the
 * body) still get an error body in the API's shape when the socket can take it; the raw bytes
 * are never logged (they can hold personal data).
 */
function clientErrorHandler(
  this: { log: FastifyBaseLogger },
  error: NodeJS.ErrnoException,
  socket: Duplex,
): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const appError =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? new AppError('HEADERS_TOO_LARGE', 'The request headers are too large.')
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new AppError('REQUEST_TIMEOUT', 'The request was not received in time.')
        : new AppError('VALIDATION_FAILED', 'The request is malformed.');
  this.log.debug({ failure: error.code ?? 'unknown' }, 'client error');
  // As Node itself does: no error answer into the middle of one already being written.
  const inProgress = (socket as Duplex & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (socket.writable && !inProgress?.headersSent) {
    const body = JSON.stringify(errorBody(appError));
    socket.write(
      `HTTP/1.1 ${appError.status} ${STATUS_CODES[appError.status] ?? 'Error'}\r\nConnection: close\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

/** Connection-level database failures: answer fast with 503 and let the client retry. */
const DB_DOWN_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
  '57P04', // database_dropped
  '08000', // connection_exception
  '08001', // sqlclient_unable_to_establish_sqlconnection
  '08003', // connection_does_not_exist
  '08004', // sqlserver_rejected_establishment_of_sqlconnection
  '08006', // connection_failure
]);

/** Input the database could not take (a number out of range, a NUL byte, a bad date): the caller's fault. */
const DB_BAD_INPUT_CODES = new Set(['22003', '22P02', '22007', '22008', '22001', '22021', '22P05', '54000']);
/** Transient conflicts between transactions: safe to retry. */
const DB_RETRY_CODES = new Set(['40001', '40P01', '55P03']);

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

function databaseError(error: unknown): AppError | null {
  const { code, severity } = (error ?? {}) as { code?: unknown; severity?: unknown };
  if (typeof code !== 'string') return null;
  // FATAL ends the session: the server refused or dropped the connection (e.g. 55000 "database
  // is not currently accepting connections", 28P01, 3D000), whatever the code.
  if (DB_DOWN_CODES.has(code) || DB_RETRY_CODES.has(code) || severity === 'FATAL' || severity === 'PANIC') {
    return new AppError(
      'SERVICE_UNAVAILABLE',
      'The service is briefly unavailable; please retry.',
      {},
      {
        'Retry-After': '1',
      },
    );
  }
  if (DB_BAD_INPUT_CODES.has(code)) {
    return new AppError('VALIDATION_FAILED', 'A value in the request is out of range or malformed.');
  }
  return null;
}

/** Health checks and partners (pharmacies, stores, counters, bank) keep a reserved share of capacity. */
function reserved(url: string): boolean {
  return (
    url.startsWith('/healthz') ||
    url.startsWith('/readyz') ||
    url.startsWith('/api/v1/pharmacies/') ||
    url.startsWith('/api/v1/stores/') ||
    url.startsWith('/api/v1/airport-counters/') ||
    url.startsWith('/api/v1/partners/')
  );
}

/**
 * Watches the database through a trivial query sent through the pool every quarter of
 * `limitMs` while requests are in flight (and, while the database is down, until it is back):
 * - saturated: behind a saturated pool the probe queues like everything else; when it has
 *   waited (or is still waiting) longer than `limitMs`, new requests are better answered at
 *   once with 503 than queued;
 * - down: the probe failed (connection refused or dropped). New API requests are answered
 *   503 without touching the pool until a probe succeeds again. This also keeps requests away
 *   from postgres.js while its connections fail, where a query can be left unanswered.
 * A probe unanswered for 3 × `limitMs` (at least a second) is abandoned and a new one sent: the
 * pool stays "saturated" meanwhile, but a probe lost by the driver cannot keep the service shut.
 */
function watchDatabase(
  app: App,
  deps: Deps,
  limitMs: number,
  busy: () => boolean,
): { saturated(): boolean; down(): boolean } {
  if (limitMs <= 0) return { saturated: () => false, down: () => false };
  let probe: { startedAt: number } | null = null;
  let lastWaitMs = 0;
  let isDown = false;
  let timer: NodeJS.Timeout | undefined;
  const abandonAfterMs = Math.max(3 * limitMs, 1_000);
  const tick = () => {
    if (probe && performance.now() - probe.startedAt < abandonAfterMs) return;
    if (!busy() && !isDown) {
      probe = null;
      lastWaitMs = 0;
      return;
    }
    const current = { startedAt: performance.now() };
    probe = current;
    deps.sql`select 1`.then(
      () => {
        if (probe !== current) return;
        lastWaitMs = performance.now() - current.startedAt;
        isDown = false;
        probe = null;
      },
      () => {
        if (probe !== current) return;
        lastWaitMs = 0;
        isDown = true;
        probe = null;
      },
    );
  };
  app.addHook('onReady', async () => {
    timer = setInterval(tick, Math.max(20, Math.floor(limitMs / 4)));
    timer.unref();
  });
  app.addHook('onClose', async () => {
    clearInterval(timer);
  });
  return {
    saturated: () => {
      const waiting = probe === null ? 0 : performance.now() - probe.startedAt;
      return Math.max(waiting, lastWaitMs) > limitMs;
    },
    down: () => isDown,
  };
}

const unavailable = (message: string) => errorBody(new AppError('SERVICE_UNAVAILABLE', message));

/**
 * Time a client has to send its whole request, headers and body (Node's `requestTimeout`, and
 * `headersTimeout` with it), on every route. The largest body the API takes is a bank's batch of
 * 1,000 notices (512 KiB, server to server); a citizen's is under 4 KiB. A client that stops
 * sending is cut off after this, with a 408 `REQUEST_TIMEOUT` (clientErrorHandler).
 */
const RECEIVE_TIMEOUT_MS = 5_000;
/**
 * How often Node looks for requests past the receive timeout (`connectionsCheckingInterval`,
 * 30 s by default): a stalled request is cut at most this long after its time is up.
 */
const RECEIVE_CHECK_INTERVAL_MS = 1_000;
/**
 * The deadline of an operator's call: bulk work takes long (the national draw ran 29–31 s over
 * 23.6 M orders, bench/RESULTS.md; the target is 60 s), so it gets five times the target
 * rather than the public `REQUEST_TIMEOUT_MS`, but not forever.
 */
const ADMIN_REQUEST_TIMEOUT_MS = 5 * 60_000;

/** The receive timeout: never longer than the whole request's deadline, when there is one. */
export function receiveTimeoutMs(requestTimeoutMs: number): number {
  return requestTimeoutMs > 0 ? Math.min(RECEIVE_TIMEOUT_MS, requestTimeoutMs) : RECEIVE_TIMEOUT_MS;
}

/** How long a request to `url` may take before it is answered 503 (0 = no bound). */
export function requestBudgetMs(url: string, requestTimeoutMs: number): number {
  if (requestTimeoutMs <= 0) return 0;
  return url.startsWith('/api/v1/admin/')
    ? Math.max(requestTimeoutMs, ADMIN_REQUEST_TIMEOUT_MS)
    : requestTimeoutMs;
}

/** Where a request stands with admission control. */
interface Admission {
  /** It holds one of the `maxInFlight` places now. */
  counted: boolean;
  /** Its response finished or its connection closed: it never takes a place again. */
  done: boolean;
}
const admissions = new WeakMap<object, Admission>();

/**
 * Admission control: beyond `maxInFlight` requests in progress the service sheds new ones with a
 * fast 503 + Retry-After instead of letting every request time out; reserved routes may use a
 * further quarter on top. While the database pool is saturated, new API requests other than
 * reserved ones are shed the same way; while the database is down, every API request is.
 *
 * A request holds a place while the platform works for it, not while its client is still
 * sending: counted from `onRequest` (a partner's key is looked up in the database there), it
 * gives its place back in `preParsing` while the body is read, and takes one again in
 * `preValidation`, once the body has arrived, where the limit is checked again. A client that
 * sends headers and stalls therefore holds only a socket, which Node closes after
 * RECEIVE_TIMEOUT_MS.
 *
 * No request waits longer than `requestTimeoutMs`, an operator's no longer than
 * ADMIN_REQUEST_TIMEOUT_MS: then it is answered 503 (its transaction, if it still commits, is
 * what a retry finds: partners retry with the same Idempotency-Key, a citizen's order PUT
 * replaces itself, a second draw returns the first).
 */
function installAdmissionControl(app: App, deps: Deps, maxInFlight: number): void {
  let inFlight = 0;
  const reservedExtra = Math.max(1, Math.floor(maxInFlight / 4));
  const database = watchDatabase(app, deps, deps.config.dbWaitLimitMs, () => inFlight > 0);
  const timeoutMs = deps.config.requestTimeoutMs;

  /** Answers 503 when `url` is not to be admitted now; true when it did. */
  const shed = (url: string, reply: FastifyReply): boolean => {
    const isReserved = reserved(url);
    const isApi = url.startsWith('/api/');
    const limit = isReserved ? maxInFlight + reservedExtra : maxInFlight;
    if (inFlight >= limit || (isApi && !isReserved && database.saturated())) {
      reply.header('Retry-After', '1');
      reply.status(503).send(unavailable('The service is busy; please retry in a moment.'));
      return true;
    }
    if (isApi && database.down()) {
      reply.header('Retry-After', '1');
      reply.status(503).send(unavailable('The database is unavailable; please retry in a moment.'));
      return true;
    }
    return false;
  };

  app.addHook('onRequest', async (request, reply) => {
    if (shed(request.url, reply)) return reply;
    const admission: Admission = { counted: true, done: false };
    admissions.set(request, admission);
    inFlight += 1;
    const budgetMs = requestBudgetMs(request.url, timeoutMs);
    const deadline =
      budgetMs > 0
        ? setTimeout(() => {
            if (reply.sent) return;
            request.log.warn({ timeoutMs: budgetMs }, 'request timed out');
            reply.header('Retry-After', '1');
            reply.status(503).send(unavailable('The request took too long; please retry.'));
          }, budgetMs)
        : undefined;
    deadline?.unref();
    const release = () => {
      if (admission.done) return;
      admission.done = true;
      clearTimeout(deadline);
      if (admission.counted) {
        admission.counted = false;
        inFlight -= 1;
      }
    };
    reply.raw.once('finish', release);
    reply.raw.once('close', release);
  });
  // The body is read after this hook: its place is free meanwhile.
  app.addHook('preParsing', (request, _reply, payload, done) => {
    const admission = admissions.get(request);
    if (admission?.counted) {
      admission.counted = false;
      inFlight -= 1;
    }
    done(null, payload);
  });
  // The body has arrived (or there was none): admitted again only within the limit.
  // Callback style, not async: this runs on every request, and a promise per hook is measurable.
  app.addHook('preValidation', (request, reply, done) => {
    const admission = admissions.get(request);
    // A client that hung up after sending its body (`close` came first) is not admitted: nothing
    // would give the place back.
    if (!admission || admission.counted || admission.done || reply.sent) return done();
    // Shed: the 503 is sent, and the request goes no further (done is not called).
    if (shed(request.url, reply)) return;
    admission.counted = true;
    inFlight += 1;
    done();
  });
}

/**
 * helmet's headers, as it would set them on every response. One policy for the web UI (Vite
 * build, same origin) and the Swagger UI at /docs: scripts only from this origin, inline styles
 * allowed (React style attributes, Swagger UI), images also from data: and blob: URLs, fetch/XHR
 * to this origin only.
 */
export function securityHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: unknown) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: (name: string) => {
      delete headers[name.toLowerCase()];
    },
  };
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        scriptSrcAttr: ["'none'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
  })({} as IncomingMessage, response as unknown as ServerResponse, () => undefined);
  return headers;
}

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
    // A URL the router cannot decode (`/api/v1/%`) answers in the API's error shape too.
    // No hook runs for these: the X-Request-Id that the first onRequest hook sets is set here too.
    frameworkErrors: (error, request, reply) => {
      const appError =
        fastifyErrorToAppError(error) ?? new AppError('VALIDATION_FAILED', 'The request is malformed.');
      (reply as unknown as FastifyReply)
        .header('x-request-id', request.id)
        .status(appError.status)
        .send(errorBody(appError));
    },
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
  // An `Expect` other than 100-continue: Node would answer 417 without a body of our shape.
  app.server.on('checkExpectation', (_request: IncomingMessage, response: ServerResponse) => {
    const body = JSON.stringify(
      errorBody(new AppError('EXPECTATION_FAILED', 'Only "Expect: 100-continue" is supported.')),
    );
    response.writeHead(417, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
    response.end(body);
  });
  deps.log = app.log;
  app.decorateRequest('principal', null);

  // First of the hooks, so that every answer carries it, a shed 503 included (and `frameworkErrors`).
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    done();
  });
  installAdmissionControl(app, deps, deps.config.maxInFlight);

  // Security headers (docs/SECURITY.md), computed once: helmet's own per-request work was ≈ 7 %
  // of the API's CPU (bench/RESULTS.md), and nothing in them depends on the request.
  const headers = securityHeaders();
  app.addHook('onRequest', (_request, reply, done) => {
    reply.headers(headers);
    done();
  });

  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    const appError =
      error instanceof AppError ? error : (databaseError(error) ?? fastifyErrorToAppError(error));
    if (appError) {
      if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
      for (const [name, value] of Object.entries(appError.headers)) reply.header(name, value);
      return reply.status(appError.status).send(errorBody(appError));
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send({
      error: {
        code: 'INTERNAL_ERROR',
        message: 'Something went wrong on our side.',
        correlationId: request.id,
      },
    });
  });

  app.setNotFoundHandler((request, reply) => {
    reply
      .status(404)
      .send(errorBody(new AppError('UNKNOWN_ROUTE', `No route ${request.method} ${request.url}.`)));
  });

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
  // No validator badge: it would load an image from validator.swagger.io, which the CSP forbids.
  await app.register(swaggerUi, { routePrefix: '/docs', uiConfig: { validatorUrl: null } });

  await registerRoutes(app, deps);
  return app;
}
