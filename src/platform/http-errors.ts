import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { App } from './app-type.js';
import { databaseError } from './database-errors.js';
import { AppError, type ErrorCode, errorBody } from './errors.js';

/**
 * A framework or plugin error in the API's shape (VALIDATION_FAILED with the fields, a 4xx with
 * a code of ours), or null when it is none of those (then a 500).
 */
export function fastifyErrorToAppError(error: FastifyError): AppError | null {
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
 * Fastify's `frameworkErrors`: a URL the router cannot decode (`/api/v1/%`) answers in the API's
 * error shape too. No hook runs for these: the X-Request-Id that the first onRequest hook sets
 * (src/platform/request-id.ts) is set here too.
 */
export function frameworkErrorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): void {
  const appError =
    fastifyErrorToAppError(error) ?? new AppError('VALIDATION_FAILED', 'The request is malformed.');
  reply.header('x-request-id', request.id).status(appError.status).send(errorBody(appError));
}

/**
 * Every failure answers `{"error": {"code", "message", …details}}` with the status of
 * src/platform/errors.ts; anything unexpected is a logged 500 with the request id as
 * `correlationId`. An unknown route is 404 UNKNOWN_ROUTE.
 */
export function installErrorHandlers(app: App): void {
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
}
