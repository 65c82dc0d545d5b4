import { describe, expect, it } from 'vitest';
import type { Channel } from '../platform/auth.js';
import { cardRefusal, paymentMethods } from './payment-methods.js';

const CHANNELS: Channel[] = ['web_card', 'web_certificate', 'app_phone', 'app_device', 'counter'];
const web = (c: Channel) => c === 'web_card' || c === 'web_certificate';

describe('payment methods (SPEC §5, [ORD 2, 24.7])', () => {
  it('offers the card exactly for a web order seen from a web sign-in, ATM always', () => {
    for (const order of CHANNELS) {
      for (const session of CHANNELS) {
        const expected = web(order) && web(session) ? ['atm', 'card'] : ['atm'];
        expect(paymentMethods(order, session), `${order} from ${session}`).toEqual(expected);
        expect(cardRefusal(order, session) === null).toBe(expected.includes('card'));
      }
    }
  });

  it('says which of the two is the reason: the sign-in first, then the order', () => {
    expect(cardRefusal('web_card', 'app_phone')?.message).toMatch(/web sign-in/);
    expect(cardRefusal('app_device', 'web_card')?.message).toMatch(/placed in the app/);
    expect(cardRefusal('app_device', 'web_card')?.code).toBe('PAYMENT_METHOD_NOT_ALLOWED');
  });
});
