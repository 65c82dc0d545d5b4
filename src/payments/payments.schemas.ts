import { Type } from 'typebox';

export const OrderIdParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
});

export const CardPaymentBody = Type.Object({
  cardNumber: Type.String({ minLength: 12, maxLength: 23, pattern: '^[0-9][0-9 -]*[0-9]$' }),
  expiry: Type.String({ pattern: '^(0[1-9]|1[0-2])/[0-9]{2}$', description: 'MM/YY' }),
  cvc: Type.String({ pattern: '^[0-9]{3,4}$' }),
  holder: Type.String({ minLength: 1, maxLength: 100 }),
});

export const CardPaymentView = Type.Object({
  orderId: Type.Integer(),
  status: Type.Literal('paid'),
  amount: Type.Integer(),
  paymentMethod: Type.Literal('card'),
  paidAt: Type.String({ format: 'date-time' }),
  pickupSerial: Type.String(),
  card: Type.Object({ brand: Type.String(), last4: Type.String() }),
});

/** What the bank posts about one transfer (signed: see src/payments/bank-signature.ts). */
export const BankNoticeBody = Type.Object({
  noticeId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._:-]+$' }),
  toAccount: Type.String({ minLength: 1, maxLength: 40 }),
  amount: Type.Integer({ minimum: 0, maximum: 1_000_000_000 }),
  transferredAt: Type.String({ format: 'date-time' }),
});

export const UnmatchedReason = Type.Union([
  Type.Literal('unknown_account'),
  Type.Literal('amount_mismatch'),
  Type.Literal('outside_payment_window'),
  Type.Literal('already_paid'),
  Type.Literal('not_awaiting_payment'),
]);

export const BankNoticeView = Type.Object({
  noticeId: Type.String(),
  matched: Type.Boolean(),
  orderId: Type.Union([Type.Integer(), Type.Null()]),
  reason: Type.Union([UnmatchedReason, Type.Null()]),
});

export const SimTransferBody = Type.Object({
  toAccount: Type.String({ minLength: 1, maxLength: 40 }),
  amount: Type.Integer({ minimum: 0, maximum: 1_000_000_000 }),
});

export const SimTransferView = Type.Object({ transferId: Type.String(), matched: Type.Boolean() });
