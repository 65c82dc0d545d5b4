import { Type } from 'typebox';

const NullableString = Type.Union([Type.String(), Type.Null()]);

export const DemoPersonView = Type.Object({
  key: Type.String(),
  name: Type.String(),
  nationalId: Type.String(),
  nationalIdMasked: Type.String(),
  idFormat: Type.Union([Type.Literal('national'), Type.Literal('arc_old'), Type.Literal('arc_new')]),
  nationality: Type.Union([Type.Literal('TW'), Type.Literal('foreign')]),
  sex: Type.Union([Type.Literal('M'), Type.Literal('F')]),
  birthDate: Type.String(),
  lastDigitParity: Type.Union([Type.Literal('odd'), Type.Literal('even')]),
  cardNo: Type.String(),
  cardLast4: Type.String(),
  privateKeyPem: Type.String(),
  publicKeyPem: Type.String(),
  email: Type.String(),
  phone: NullableString,
  carrier: NullableString,
  plan: NullableString,
  telecomCase: NullableString,
  /** 'ok' or the error code POST /api/v1/auth/phone answers for this person's phone. */
  expectedPhoneCheck: NullableString,
  note: Type.String(),
});

export const DemoDataView = Type.Object({
  loaded: Type.Boolean(),
  seed: NullableString,
  rounds: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })),
  people: Type.Array(DemoPersonView),
  pharmacies: Type.Array(
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      address: Type.String(),
      city: Type.String(),
      district: Type.String(),
      apiKey: Type.String(),
    }),
  ),
  stores: Type.Array(
    Type.Object({
      id: Type.Integer(),
      chain: Type.String(),
      storeNo: Type.String(),
      name: Type.String(),
      address: Type.String(),
      city: Type.String(),
      district: Type.String(),
      open: Type.Boolean(),
      apiKey: Type.String(),
    }),
  ),
  airportCounters: Type.Array(
    Type.Object({ id: Type.Integer(), name: Type.String(), apiKey: Type.String() }),
  ),
});
