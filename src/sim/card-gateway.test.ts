import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cardBrand,
  DECLINED_TEST_CARDS,
  expiryValid,
  luhnValid,
  simulatedCardGateway,
} from './card-gateway.js';

const digits = (min: number, max: number) =>
  fc.array(fc.integer({ min: 0, max: 9 }), { minLength: min, maxLength: max }).map((d) => d.join(''));

/** Completes a number with its Luhn check digit. */
function withLuhn(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(`${body}${d}`)) return `${body}${d}`;
  throw new Error('no check digit');
}

describe('Luhn check', () => {
  it('accepts the documented approved and declined test numbers', () => {
    for (const n of [
      '4111111111111111',
      '5555555555554444',
      '3530111333300000',
      ...Object.keys(DECLINED_TEST_CARDS),
    ]) {
      expect(luhnValid(n)).toBe(true);
    }
    expect(luhnValid('4111111111111112')).toBe(false);
    expect(luhnValid('41111111111')).toBe(false);
    expect(luhnValid('4111x11111111111')).toBe(false);
  });

  it('exactly one check digit completes every body, and changing any one digit breaks it', () => {
    fc.assert(
      fc.property(digits(11, 18), fc.nat(), fc.integer({ min: 1, max: 9 }), (body, at, delta) => {
        const valid = [...'0123456789'].filter((d) => luhnValid(`${body}${d}`));
        expect(valid).toHaveLength(1);
        const number = withLuhn(body);
        const i = at % number.length;
        const changed = `${number.slice(0, i)}${(Number(number[i]) + delta) % 10}${number.slice(i + 1)}`;
        expect(luhnValid(changed)).toBe(false);
      }),
    );
  });
});

describe('expiry', () => {
  const now = new Date('2020-03-31T23:30:00+08:00');
  it('is valid through the last day of the printed month, Taipei time', () => {
    expect(expiryValid('03/20', now)).toBe(true);
    expect(expiryValid('03/20', new Date('2020-04-01T00:00:00+08:00'))).toBe(false);
    expect(expiryValid('02/20', now)).toBe(false);
    expect(expiryValid('01/21', now)).toBe(true);
    expect(expiryValid('13/21', now)).toBe(false);
  });
});

describe('simulated gateway', () => {
  const gateway = simulatedCardGateway();
  const charge = (cardNumber: string, expiry = '12/30') =>
    gateway.charge({
      reference: 'order-1',
      amount: 22,
      currency: 'TWD',
      card: { cardNumber, expiry, cvc: '123', holder: 'x' },
      now: new Date('2020-03-20T10:00:00+08:00'),
    });

  it('approves valid cards with brand and last 4 and declines the test numbers with their reason', async () => {
    expect(await charge('5555 5555 5555 4444')).toMatchObject({
      approved: true,
      brand: 'mastercard',
      last4: '4444',
    });
    expect(await charge('3530-1113-3330-0000')).toMatchObject({
      approved: true,
      brand: 'jcb',
      last4: '0000',
    });
    for (const [number, reason] of Object.entries(DECLINED_TEST_CARDS)) {
      expect(await charge(number)).toEqual({ approved: false, reason });
    }
    expect(await charge('4111111111111111', '01/20')).toEqual({ approved: false, reason: 'expired' });
    expect(cardBrand('378282246310005')).toBe('amex');
  });
});
