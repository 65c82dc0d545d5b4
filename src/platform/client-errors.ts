import { type IncomingMessage, type ServerResponse, STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyBaseLogger } from 'fastify';
import { AppError, errorBody } from './errors.js';

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (headers beyond the limit, a
 * malformed request line) and requests cut off because their headers or body did not arrive
 * within the receive timeout (ERR_HTTP_REQUEST_TIMEOUT, also once Fastify is waiting for the
 * body) still get an error body in the API's shape when the socket can take it; the raw bytes
 * are never logged (they can hold personal data).
 */
export function clientErrorHandler(
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

/**
 * Node's `checkExpectation`: an `Expect` other than 100-continue, which Node would answer 417
 * without a body of our shape.
 */
export function answerExpectationFailed(_request: IncomingMessage, response: ServerResponse): void {
  const body = JSON.stringify(
    errorBody(new AppError('EXPECTATION_FAILED', 'Only "Expect: 100-continue" is supported.')),
  );
  response.writeHead(417, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
  response.end(body);
}
