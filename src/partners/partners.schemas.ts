import { Type } from 'typebox';

export const PartnerKindSchema = Type.Union(
  [Type.Literal('pharmacy'), Type.Literal('store'), Type.Literal('airport')],
  {
    description:
      'pharmacy (by its 10-character code), store (convenience store, by id) or airport (counter, by id)',
  },
);

export const PartnersQuery = Type.Object({
  kind: Type.Optional(PartnerKindSchema),
  q: Type.Optional(
    Type.String({ maxLength: 100, description: 'part of the name, or the exact code / id / store number' }),
  ),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
});

export const PartnerKeysView = Type.Object({
  active: Type.Integer({ description: 'keys that work now (one, after a rotation)' }),
  revoked: Type.Integer(),
  lastIssuedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastRevokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const PartnerView = Type.Object({
  kind: PartnerKindSchema,
  id: Type.String({ description: 'pharmacy code, store id or counter id, as in the partner API paths' }),
  name: Type.String(),
  chain: Type.Union([Type.String(), Type.Null()]),
  storeNo: Type.Union([Type.String(), Type.Null()]),
  city: Type.Union([Type.String(), Type.Null()]),
  district: Type.Union([Type.String(), Type.Null()]),
  open: Type.Boolean({ description: 'false for a closed store' }),
  keys: PartnerKeysView,
});

export const PartnersView = Type.Object({
  partners: Type.Array(PartnerView),
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
});

export const PartnerParams = Type.Object({
  kind: PartnerKindSchema,
  id: Type.String({ minLength: 1, maxLength: 20, pattern: '^[A-Za-z0-9]+$' }),
});

export const RotatedKeyView = Type.Object({
  apiKey: Type.String({ description: 'the new key, shown this once; it is stored hashed' }),
  revokedKeys: Type.Integer({ description: 'how many keys stopped working' }),
});

export const RevokedKeysView = Type.Object({ revokedKeys: Type.Integer() });
