/**
 * Personal virtual account numbers (個人專屬匯款帳號, SPEC §5, seeds [ORD 22.1, 24.4, 24.5]):
 * one per selected order, so a bank transfer identifies the order it pays. Pure functions.
 *
 * Layout, 16 digits:  BBB RRR OOOOOOOOO C
 *   BBB        the collecting bank's prefix for this programme (VIRTUAL_ACCOUNT_PREFIX)
 *   RRR        round id modulo 1000 (informational: lets bank staff see the round)
 *   OOOOOOOOO  order id, zero-padded to 9 digits (order ids are unique, so the account is)
 *   C          check digit: weights 7, 3, 1, 7, 3, 1, … on the 15 digits from the left,
 *              C = (10 − (weighted sum mod 10)) mod 10.
 * Every weight is coprime to 10, so changing any single digit (check digit included) changes the
 * weighted sum mod 10 and the number no longer validates: a mistyped digit at the ATM is caught
 * before money goes to a wrong account, which is never refunded [ORD 24.5].
 *
 * The same function exists in SQL as `emask_virtual_account(round_id, order_id)`
 * (migrations/functions/virtual-account.sql) so the draw assigns accounts in bulk; a test proves both agree.
 */
export const VIRTUAL_ACCOUNT_PREFIX = '960';
export const VIRTUAL_ACCOUNT_LENGTH = 16;
export const MAX_ORDER_ID_FOR_ACCOUNT = 999_999_999;

const WEIGHTS = [7, 3, 1] as const;

/** The check digit of a string of digits (the account without its last digit). */
export function checkDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const d = body.charCodeAt(i) - 48;
    if (d < 0 || d > 9) throw new Error('not a digit string');
    sum += d * (WEIGHTS[i % 3] as number);
  }
  return (10 - (sum % 10)) % 10;
}

/** The personal virtual account of an order. */
export function virtualAccount(roundId: number, orderId: number): string {
  if (!Number.isSafeInteger(roundId) || roundId < 0) throw new RangeError('round id out of range');
  if (!Number.isSafeInteger(orderId) || orderId < 0 || orderId > MAX_ORDER_ID_FOR_ACCOUNT) {
    throw new RangeError('order id out of range for a virtual account');
  }
  const body = `${VIRTUAL_ACCOUNT_PREFIX}${String(roundId % 1000).padStart(3, '0')}${String(orderId).padStart(9, '0')}`;
  return `${body}${checkDigit(body)}`;
}

/** Whether a string is a well-formed virtual account of this programme with a correct check digit. */
export function isValidVirtualAccount(value: string): boolean {
  if (value.length !== VIRTUAL_ACCOUNT_LENGTH || !/^\d+$/.test(value)) return false;
  if (!value.startsWith(VIRTUAL_ACCOUNT_PREFIX)) return false;
  return checkDigit(value.slice(0, -1)) === value.charCodeAt(value.length - 1) - 48;
}

/** The order id (and round id modulo 1000) an account names, or null when it is not valid. */
export function parseVirtualAccount(value: string): { roundMod1000: number; orderId: number } | null {
  if (!isValidVirtualAccount(value)) return null;
  const p = VIRTUAL_ACCOUNT_PREFIX.length;
  return { roundMod1000: Number(value.slice(p, p + 3)), orderId: Number(value.slice(p + 3, p + 12)) };
}
