import { Type } from 'typebox';
import { PlainText } from '../platform/schemas.js';

export const AdminLoginBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 64 }),
  password: Type.String({ minLength: 1, maxLength: 256 }),
});
export const TokenView = Type.Object({ token: Type.String() });

export const IssueCardBody = Type.Object({
  nationalId: Type.String({ minLength: 10, maxLength: 10 }),
  name: PlainText({ maxLength: 100 }),
  birthDate: Type.String({ format: 'date' }),
  nationality: Type.Union([Type.Literal('TW'), Type.Literal('foreign')]),
  arcNumber: Type.Optional(Type.String({ minLength: 10, maxLength: 10 })),
});
export const IssuedCardView = Type.Object({
  cardNo: Type.String(),
  privateKeyPem: Type.String(),
  publicKeyPem: Type.String(),
  personId: Type.Integer(),
});

export const CreatePharmacyBody = Type.Object({
  code: Type.String({ minLength: 10, maxLength: 10, pattern: '^[0-9A-Za-z]{10}$' }),
  name: PlainText({ maxLength: 200 }),
  address: PlainText({ maxLength: 300 }),
  phone: PlainText({ maxLength: 40 }),
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
  lng: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
});
export const CreatedPharmacyView = Type.Object({ code: Type.String(), apiKey: Type.String() });

export const Chain = Type.Union([
  Type.Literal('7-11'),
  Type.Literal('FamilyMart'),
  Type.Literal('Hi-Life'),
  Type.Literal('OK'),
]);

export const CreateStoreBody = Type.Object({
  chain: Chain,
  storeNo: PlainText({ maxLength: 20 }),
  name: PlainText({ maxLength: 200 }),
  address: PlainText({ maxLength: 300 }),
  city: PlainText({ maxLength: 20 }),
  district: PlainText({ maxLength: 20 }),
  lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
  lng: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
});
export const CreatedWithKeyView = Type.Object({ id: Type.Integer(), apiKey: Type.String() });

export const CreateCounterBody = Type.Object({ name: PlainText({ maxLength: 200 }) });

export const CreateRoundBody = Type.Object({
  name: PlainText({ maxLength: 200 }),
  registrationOpensAt: Type.String({ format: 'date-time' }),
  registrationClosesAt: Type.String({ format: 'date-time' }),
  paymentOpensAt: Type.String({ format: 'date-time' }),
  paymentClosesAt: Type.String({ format: 'date-time' }),
  pickupStartsOn: Type.String({ format: 'date' }),
  pickupEndsOn: Type.String({ format: 'date' }),
  supplyPacks: Type.Integer({ minimum: 1, maximum: 100_000_000 }),
});
