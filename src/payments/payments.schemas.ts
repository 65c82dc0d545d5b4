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

/** Largest batch the bulk endpoint takes (POST /api/v1/partners/bank/notice-batches). */
export const MAX_NOTICES_PER_BATCH = 1000;

/** The bulk form (docs/PAYMENTS.md): 1–1,000 notices, signed as one body. */
export const BankNoticeBatchBody = Type.Object({
  notices: Type.Array(BankNoticeBody, { minItems: 1, maxItems: MAX_NOTICES_PER_BATCH }),
});

/** One entry per notice, in request order: what the single endpoint would have answered for it. */
export const BankNoticeBatchResult = Type.Object({
  noticeId: Type.String(),
  status: Type.Integer({ description: 'the HTTP status the single endpoint would have answered' }),
  outcome: Type.Optional(BankNoticeView),
  error: Type.Optional(
    Type.Object(
      { code: Type.String(), message: Type.String() },
      { additionalProperties: true, description: 'the error body of a refused notice' },
    ),
  ),
});

export const BankNoticeBatchView = Type.Object({ results: Type.Array(BankNoticeBatchResult) });

export const SimTransferBody = Type.Object({
  toAccount: Type.String({ minLength: 1, maxLength: 40 }),
  amount: Type.Integer({ minimum: 0, maximum: 1_000_000_000 }),
});

export const SimTransferView = Type.Object({ transferId: Type.String(), matched: Type.Boolean() });
