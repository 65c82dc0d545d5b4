import { Type } from 'typebox';
import { StoreRef } from '../stores/stores.schemas.js';

export const OrderStatusSchema = Type.Union([
  Type.Literal('registered'),
  Type.Literal('not_selected'),
  Type.Literal('awaiting_payment'),
  Type.Literal('paid'),
  Type.Literal('collected'),
  Type.Literal('forfeited_unpaid'),
  Type.Literal('forfeited_uncollected'),
]);

/** Taiwan mobile numbers: 09 followed by 8 digits [ORD 24.2 note: wrong formats were a real problem]. */
export const MOBILE_PATTERN = '^09[0-9]{8}$';

export const PlaceOrderBody = Type.Object({
  storeId: Type.Integer({ minimum: 1 }),
  phone: Type.String({ pattern: MOBILE_PATTERN, description: 'Taiwan mobile number, e.g. 0912345678' }),
  email: Type.String({ format: 'email', minLength: 3, maxLength: 254 }),
});

export const PlacedOrderView = Type.Object({
  order: Type.Object({
    id: Type.Integer(),
    roundId: Type.Integer(),
    storeId: Type.Integer(),
    status: OrderStatusSchema,
    amount: Type.Integer(),
  }),
});

/** The bank holding the personal virtual accounts (PAYMENT_BANK_CODE / PAYMENT_BANK_NAME): an ATM transfer needs its code. */
export const PaymentBankView = Type.Object({
  code: Type.String({ description: '3-digit bank code' }),
  name: Type.String(),
});

export const MyOrdersView = Type.Object({
  orders: Type.Array(
    Type.Object({
      id: Type.Integer(),
      roundId: Type.Integer(),
      roundName: Type.String(),
      status: OrderStatusSchema,
      amount: Type.Integer(),
      virtualAccount: Type.Optional(Type.String()),
      bank: Type.Optional(PaymentBankView),
      payableBy: Type.Optional(
        Type.Array(Type.Union([Type.Literal('atm'), Type.Literal('card')]), {
          description:
            'while awaiting payment: how this session may pay it; card only for a web order from a web sign-in (else ATM transfer only)',
        }),
      ),
      paymentOpensAt: Type.String(),
      paymentClosesAt: Type.String(),
      store: StoreRef,
      pickupSerial: Type.Optional(Type.String()),
      pickupStartsOn: Type.String(),
      pickupEndsOn: Type.String(),
      collectableFrom: Type.Optional(Type.String()),
    }),
  ),
});

export const LookupBody = Type.Object({
  nationalId: Type.String({ minLength: 1, maxLength: 20 }),
  phoneLast3: Type.String({ pattern: '^[0-9]{3}$' }),
});

export const LookupView = Type.Object({
  orders: Type.Array(
    Type.Object({
      roundId: Type.Integer(),
      roundName: Type.String(),
      status: OrderStatusSchema,
      amount: Type.Integer(),
      virtualAccount: Type.Union([Type.String(), Type.Null()]),
      bank: Type.Union([PaymentBankView, Type.Null()]),
      paymentClosesAt: Type.String(),
      store: StoreRef,
      pickupStartsOn: Type.String(),
      pickupEndsOn: Type.String(),
    }),
  ),
});
