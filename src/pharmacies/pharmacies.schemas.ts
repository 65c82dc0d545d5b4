import { Type } from 'typebox';

export const PharmacyParams = Type.Object({
  code: Type.String({ minLength: 10, maxLength: 10, pattern: '^[0-9A-Za-z]{10}$' }),
});

export const Item = Type.Union([Type.Literal('adult'), Type.Literal('child')]);

export const SaleBody = Type.Object({
  cardNo: Type.String({ pattern: '^[0-9]{12}$', description: 'NHI card number, 12 digits' }),
  challengeId: Type.String({ minLength: 1, maxLength: 100 }),
  cardSignature: Type.String({
    minLength: 1,
    maxLength: 200,
    description: "base64url Ed25519 signature of the challenge's nonce by the card",
  }),
  item: Item,
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
