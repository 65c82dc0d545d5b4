import type { FastifyReply } from 'fastify';
import type { App } from './app-type.js';
import { watchDatabase } from './database-watchdog.js';
import type { Deps } from './deps.js';
import { AppError, errorBody } from './errors.js';
import { reserved } from './reserved-routes.js';

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
export const RECEIVE_CHECK_INTERVAL_MS = 1_000;
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
export function installAdmissionControl(app: App, deps: Deps, maxInFlight: number): void {
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
