import { Type } from 'typebox';

export const PharmacyParams = Type.Object({
  code: Type.String({ minLength: 10, maxLength: 10, pattern: '^[0-9A-Za-z]{10}$' }),
});

export const Item = Type.Union([Type.Literal('adult'), Type.Literal('child')]);

const cardPresence = {
  cardNo: Type.String({ pattern: '^[0-9]{12}$', description: 'NHI card number, 12 digits' }),
  challengeId: Type.String({
    minLength: 1,
    maxLength: 100,
    description: 'a fresh challenge from POST /api/v1/auth/challenges; used up by this call',
  }),
  cardSignature: Type.String({
    minLength: 1,
    maxLength: 200,
    description: "base64url Ed25519 signature of the challenge's nonce by the card",
  }),
};

export const SaleBody = Type.Object({ ...cardPresence, item: Item });

export const EligibilityBody = Type.Object(cardPresence);

const Day = Type.String({ format: 'date' });
const Weekdays = Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), {
  description: 'ISO weekdays, 1 = Monday … 7 = Sunday',
});

/** A refusal exactly as the sale's error object carries it: code, message and its details. */
const Refusal = Type.Object(
  {
    code: Type.Union([
      Type.Literal('WRONG_DAY_FOR_ID'),
      Type.Literal('CHILD_ITEM_NOT_ALLOWED'),
      Type.Literal('NOT_YET_ELIGIBLE'),
      Type.Literal('OUT_OF_STOCK'),
    ]),
    message: Type.String(),
    allowedWeekdays: Type.Optional(Weekdays),
    nextEligibleOn: Type.Optional(Day),
    childMaxAge: Type.Optional(Type.Integer()),
    item: Type.Optional(Item),
    remaining: Type.Optional(Type.Integer({ description: 'masks of the item left' })),
  },
  { additionalProperties: true },
);

const ItemVerdict = Type.Object({
  allowed: Type.Boolean(),
  reason: Type.Optional(Refusal),
});

export const EligibilityView = Type.Object({
  mayBuy: Type.Boolean({ description: 'at least one pack may be sold now' }),
  items: Type.Object({ adult: ItemVerdict, child: ItemVerdict }),
  nextEligibleOn: Type.Union([Day, Type.Null()], {
    description: 'first day the 7-day rule allows, when it refuses today; null when it allows today',
  }),
  allowedWeekdays: Weekdays,
  todayWeekday: Type.Integer({ minimum: 1, maximum: 7 }),
  today: Day,
  buyer: Type.Object({
    nameMasked: Type.String(),
    age: Type.Integer({ description: 'age in whole years today' }),
  }),
  reasons: Type.Array(Refusal, { description: 'every rule that refuses a pack today, in check order' }),
});

export const SaleView = Type.Object({
  saleId: Type.Integer(),
  amount: Type.Integer({ description: 'NT$' }),
  nextEligibleOn: Type.String({ format: 'date' }),
  item: Type.Optional(Item),
  masks: Type.Optional(Type.Integer()),
});

export const StockBody = Type.Object({
  adult: Type.Integer({ minimum: 0, maximum: 10_000_000, description: 'adult masks in stock' }),
  child: Type.Integer({ minimum: 0, maximum: 10_000_000, description: 'child masks in stock' }),
});

export const StockView = Type.Object({
  code: Type.String(),
  adult: Type.Integer(),
  child: Type.Integer(),
  updatedAt: Type.String({ format: 'date-time' }),
});
