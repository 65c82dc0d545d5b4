import { type Channel, WEB_CHANNELS } from '../platform/auth.js';
import { AppError } from '../platform/errors.js';

export type PaymentMethod = 'atm' | 'card';

/**
 * How an order may be paid (SPEC §5, [ORD 2, 24.7, 24.8]): always by ATM transfer to its personal
 * account; by card only for an order placed on the web, by its owner signed in on the web (NHI
 * card or citizen certificate). The one place this is decided: /me/orders shows it, the card
 * payment enforces it.
 */
/** Why a card may not pay: the sign-in is not a web one, or the order was placed in the app. */
function cardBlock(orderChannel: Channel, sessionChannel: Channel): 'session' | 'order' | null {
  if (!WEB_CHANNELS.includes(sessionChannel)) return 'session';
  if (!WEB_CHANNELS.includes(orderChannel)) return 'order';
  return null;
}

export function cardRefusal(orderChannel: Channel, sessionChannel: Channel): AppError | null {
  const block = cardBlock(orderChannel, sessionChannel);
  if (block === 'session') {
    return new AppError(
      'PAYMENT_METHOD_NOT_ALLOWED',
      'Card payment needs a web sign-in with the NHI card and a card reader, or a citizen certificate.',
    );
  }
  if (block === 'order') {
    return new AppError(
      'PAYMENT_METHOD_NOT_ALLOWED',
      'This order was placed in the app: it can only be paid by ATM transfer to its personal account.',
    );
  }
  return null;
}

/** What /me/orders shows; decides as cardRefusal does, without building an error per order. */
export function paymentMethods(orderChannel: Channel, sessionChannel: Channel): PaymentMethod[] {
  return cardBlock(orderChannel, sessionChannel) ? ['atm'] : ['atm', 'card'];
}
