import { randomInt } from 'node:crypto';

/**
 * Pickup serials (取貨序號, SPEC §5): what the SMS carries and the kiosk asks for. Twelve
 * characters from an alphabet without look-alikes (no 0/O, 1/I/L), about 59 bits of entropy,
 * so a serial cannot be guessed; uniqueness is enforced by `order_payments.pickup_serial unique`.
 */
export const SERIAL_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const SERIAL_LENGTH = 12;

export function newPickupSerial(random: (max: number) => number = randomInt): string {
  let serial = '';
  for (let i = 0; i < SERIAL_LENGTH; i++) serial += SERIAL_ALPHABET[random(SERIAL_ALPHABET.length)];
  return serial;
}

/** What a clerk or a kiosk typed, made comparable: upper case, without spaces and dashes. */
export function normaliseSerial(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '');
}

export function isWellFormedSerial(value: string): boolean {
  if (value.length !== SERIAL_LENGTH) return false;
  for (const c of value) if (!SERIAL_ALPHABET.includes(c)) return false;
  return true;
}
