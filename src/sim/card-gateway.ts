import { randomBytes } from 'node:crypto';
import type { CardChargeResult, CardDeclineReason, CardGateway } from '../payments/card-gateway.js';
import { taipeiDay } from '../rules/taipei-date.js';

/**
 * The simulated card acquirer (SIMULATORS=on). Approves any card whose number passes the Luhn
 * check and whose expiry (MM/YY, valid through the end of that month, Taipei time) is not
 * before the platform clock, except these documented test numbers:
 *
 *   4000 0000 0000 0002   declined            (the issuer says no)
 *   4000 0000 0000 9995   insufficient_funds
 *   4000 0000 0000 0127   invalid_cvc
 *
 * Approved examples: 4111 1111 1111 1111 (Visa), 5555 5555 5555 4444 (Mastercard),
 * 3530 1113 3330 0000 (JCB).
 */
export const DECLINED_TEST_CARDS: Readonly<Record<string, CardDeclineReason>> = {
  '4000000000000002': 'declined',
  '4000000000009995': 'insufficient_funds',
  '4000000000000127': 'invalid_cvc',
};

export function cardDigits(cardNumber: string): string {
  return cardNumber.replace(/[\s-]/g, '');
}

/** The Luhn (mod 10) check of card numbers. */
export function luhnValid(digits: string): boolean {
  if (!/^\d{12,19}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** A card printed "MM/YY" is valid through the last day of that month. */
export function expiryValid(expiry: string, now: Date): boolean {
  const match = /^(0[1-9]|1[0-2])\/(\d{2})$/.exec(expiry);
  if (!match) return false;
  const month = Number(match[1]);
  const year = 2000 + Number(match[2]);
  const today = taipeiDay(now);
  const [y, m] = today.split('-').map(Number) as [number, number];
  return year > y || (year === y && month >= m);
}

export function cardBrand(digits: string): string {
  if (/^4/.test(digits)) return 'visa';
  if (/^(5[1-5]|2[2-7])/.test(digits)) return 'mastercard';
  if (/^35(2[89]|[3-8])/.test(digits)) return 'jcb';
  if (/^3[47]/.test(digits)) return 'amex';
  if (/^62/.test(digits)) return 'unionpay';
  return 'other';
}

export function simulatedCardGateway(): CardGateway {
  return {
    async charge(c): Promise<CardChargeResult> {
      const digits = cardDigits(c.card.cardNumber);
      if (!luhnValid(digits)) return { approved: false, reason: 'invalid_number' };
      if (!expiryValid(c.card.expiry, c.now)) return { approved: false, reason: 'expired' };
      const refused = DECLINED_TEST_CARDS[digits];
      if (refused) return { approved: false, reason: refused };
      return {
        approved: true,
        authorizationId: `SIM-${randomBytes(8).toString('hex').toUpperCase()}`,
        brand: cardBrand(digits),
        last4: digits.slice(-4),
      };
    },
  };
}
