import { kickOutbox } from '../notifications/kick.js';
import type { Channel } from '../platform/auth.js';
import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { lockPerson } from '../purchases/history.repo.js';
import { toTaipeiIso } from '../rules/taipei-date.js';
import type { CardDetails, CardGateway } from './card-gateway.js';
import { announcePayment, claimPayment, paymentRefusal } from './mark-order-paid.js';
import { cardRefusal } from './payment-methods.js';
import { insertCardPayment, lockPayableOrder, payableOrder } from './payments.repo.js';

export interface PayByCardInput {
  orderId: number;
  personId: number;
  /** How the caller signed in. */
  channel: Channel;
  card: CardDetails;
}

export interface CardPaymentView {
  orderId: number;
  status: 'paid';
  amount: number;
  paymentMethod: 'card';
  paidAt: string;
  pickupSerial: string;
  card: { brand: string; last4: string };
}

const DECLINE_MESSAGES: Record<string, string> = {
  invalid_number: 'The card number is not valid.',
  expired: 'The card has expired.',
  declined: 'The card issuer declined the payment.',
  insufficient_funds: 'The card issuer declined the payment: insufficient funds.',
  invalid_cvc: 'The card issuer declined the payment: the security code is wrong.',
};

/**
 * Credit-card payment of an order (SPEC §5, [ORD 2, 24.7, 24.8]). Any card may pay (another
 * person's included), but only the order's owner, signed in on the web with the NHI card or a
 * citizen certificate, and only for an order placed on the web; app orders pay by ATM only.
 *
 * Refusals: not the caller's order → 404 UNKNOWN_ORDER (another person's order is not revealed);
 * app session or app order → 403 PAYMENT_METHOD_NOT_ALLOWED; paid → 409 ALREADY_PAID; outside
 * the window → 409 PAYMENT_CLOSED; not selected → 409 NOT_AWAITING_PAYMENT; card refused →
 * 422 CARD_DECLINED (+reason). The payment is claimed (its payment row, `claimPayment`) before the
 * charge is taken, with the order as its reference, so an ATM notice for the same order waits and
 * cannot pay it twice, and one that paid it first makes this 409 ALREADY_PAID without a charge; a
 * decline rolls everything back. Only the card's brand and last 4 digits are stored.
 */
export async function payByCard(
  input: PayByCardInput,
  deps: Deps,
  gateway: CardGateway,
): Promise<CardPaymentView> {
  const now = deps.clock.now();
  const order = await payableOrder(deps.sql, input.orderId);
  if (!order || order.personId !== input.personId) {
    throw new AppError('UNKNOWN_ORDER', `You have no order ${input.orderId}.`);
  }
  const refused = cardRefusal(order.channel, input.channel);
  if (refused) throw refused;
  const early = paymentRefusal(order, now);
  if (early) throw early;

  const view = await deps.sql.begin(async (tx) => {
    await lockPerson(tx, order.personId);
    const locked = await lockPayableOrder(tx, order.id);
    if (!locked) throw new AppError('UNKNOWN_ORDER', `You have no order ${input.orderId}.`);
    const refusal = paymentRefusal(locked, now);
    if (refusal) throw refusal;
    const serial = await claimPayment(tx, locked.id, 'card', now);
    const charge = await gateway.charge({
      reference: `order-${locked.id}`,
      amount: locked.amount,
      currency: 'TWD',
      card: input.card,
      now,
    });
    if (!charge.approved) {
      throw new AppError('CARD_DECLINED', DECLINE_MESSAGES[charge.reason] ?? 'The card was declined.', {
        reason: charge.reason,
      });
    }
    await insertCardPayment(tx, {
      orderId: locked.id,
      amount: locked.amount,
      brand: charge.brand,
      last4: charge.last4,
      authorizationId: charge.authorizationId,
      now,
    });
    await announcePayment(
      tx,
      locked,
      { method: 'card', serial, now },
      {
        actorKind: 'citizen',
        actorId: String(input.personId),
      },
    );
    return {
      orderId: locked.id,
      status: 'paid' as const,
      amount: locked.amount,
      paymentMethod: 'card' as const,
      paidAt: toTaipeiIso(now),
      pickupSerial: serial,
      card: { brand: charge.brand, last4: charge.last4 },
    };
  });
  kickOutbox();
  return view;
}
