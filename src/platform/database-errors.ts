import { AppError } from './errors.js';

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

/**
 * A database failure the caller should see as such: connection loss, shutdown and transient
 * conflicts are 503 + Retry-After (retry), input the database could not take is 400; anything
 * else is null (a 500).
 */
export function databaseError(error: unknown): AppError | null {
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
