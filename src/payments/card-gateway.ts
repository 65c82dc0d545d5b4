import { AppError } from '../platform/errors.js';

export interface CardDetails {
  cardNumber: string;
  /** MM/YY */
  expiry: string;
  cvc: string;
  holder: string;
}

export interface CardCharge {
  /** The platform's reference for the charge (one per order): a retried charge is not taken twice. */
  reference: string;
  amount: number;
  currency: 'TWD';
  card: CardDetails;
  /** Platform clock: the card's expiry is judged against it. */
  now: Date;
}

export type CardDeclineReason =
  | 'invalid_number'
  | 'expired'
  | 'declined'
  | 'insufficient_funds'
  | 'invalid_cvc';

export type CardChargeResult =
  | { approved: true; authorizationId: string; brand: string; last4: string }
  | { approved: false; reason: CardDeclineReason };

/**
 * The card acquirer (SPEC §1 partners). Someone else's card may pay an order [ORD 24.8]. Which
 * one is used (httpCardGateway, the simulator, unconfiguredCardGateway) is chosen by the
 * composition root (src/adapters.ts).
 */
export interface CardGateway {
  charge(charge: CardCharge): Promise<CardChargeResult>;
}

/**
 * An acquirer reached over HTTP (CARD_GATEWAY_URL, optional CARD_GATEWAY_TOKEN): `POST` JSON
 * `{reference, amount, currency, card: {number, expiry, cvc, holder}}` with
 * `Idempotency-Key: <reference>`, answered `{approved, authorizationId, brand, last4}` or
 * `{approved: false, reason}`.
 */
export function httpCardGateway(url: string, token?: string): CardGateway {
  return {
    async charge(c) {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'idempotency-key': c.reference,
      };
      if (token) headers.authorization = `Bearer ${token}`;
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers,
          body: JSON.stringify({
            reference: c.reference,
            amount: c.amount,
            currency: c.currency,
            card: {
              number: c.card.cardNumber,
              expiry: c.card.expiry,
              cvc: c.card.cvc,
              holder: c.card.holder,
            },
          }),
          signal: AbortSignal.timeout(15_000),
        });
      } catch {
        throw new AppError('SERVICE_UNAVAILABLE', 'The card gateway does not answer; try again later.');
      }
      if (!response.ok) {
        throw new AppError(
          'SERVICE_UNAVAILABLE',
          'The card gateway could not take the payment; try again later.',
        );
      }
      return (await response.json()) as CardChargeResult;
    },
  };
}

/** No acquirer configured (CARD_GATEWAY_URL unset, simulators off): card payments answer 503. */
export function unconfiguredCardGateway(): CardGateway {
  return {
    charge: async () => {
      throw new AppError('SERVICE_UNAVAILABLE', 'Card payments are not available; pay by ATM transfer.');
    },
  };
}
