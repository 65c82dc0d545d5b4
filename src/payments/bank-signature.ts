import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Bank notices are signed by the bank with a shared secret (config.bankNoticeSecret):
 *   X-Bank-Timestamp: <unix seconds>
 *   X-Bank-Signature: v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>">
 * The timestamp is inside the signature, so an old notice cannot be re-sent with a new time.
 */
export const BANK_TIMESTAMP_HEADER = 'x-bank-timestamp';
export const BANK_SIGNATURE_HEADER = 'x-bank-signature';
/** A notice older or newer than this, by the platform clock, is refused as stale. */
export const NOTICE_TOLERANCE_MS = 5 * 60 * 1000;

function mac(secret: string, timestamp: string, rawBody: Buffer | string): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest();
}

export function signBankNotice(secret: string, timestamp: string, rawBody: Buffer | string): string {
  return `v1=${mac(secret, timestamp, rawBody).toString('hex')}`;
}

/**
 * The headers of a bank's signed JSON POST (the simulated bank, the tests, the bench): the
 * timestamp and the signature over `signedBody` — the body itself unless a test signs another.
 */
export function bankNoticeHeaders(
  secret: string,
  timestamp: string,
  signedBody: Buffer | string,
): Record<string, string> {
  return {
    'content-type': 'application/json',
    [BANK_TIMESTAMP_HEADER]: timestamp,
    [BANK_SIGNATURE_HEADER]: signBankNotice(secret, timestamp, signedBody),
  };
}

/** Constant-time comparison of the signature header with the expected HMAC. */
export function isValidBankSignature(
  secret: string,
  timestamp: string,
  rawBody: Buffer | string,
  header: string,
): boolean {
  const match = /^v1=([0-9a-f]{64})$/.exec(header.trim());
  if (!match?.[1]) return false;
  return timingSafeEqual(Buffer.from(match[1], 'hex'), mac(secret, timestamp, rawBody));
}

/** Whether `timestamp` (unix seconds) is within the tolerance of `now`. */
export function isFreshTimestamp(timestamp: string, now: Date, toleranceMs = NOTICE_TOLERANCE_MS): boolean {
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  return Math.abs(Number(timestamp) * 1000 - now.getTime()) <= toleranceMs;
}

export function unixSeconds(instant: Date): string {
  return String(Math.floor(instant.getTime() / 1000));
}
