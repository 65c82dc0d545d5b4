import { Type } from 'typebox';

export const StoreParams = Type.Object({
  id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
});

const Serial = Type.String({ minLength: 1, maxLength: 40, description: 'The pickup serial of the SMS' });

export const SlipBody = Type.Object({ serial: Serial });

export const SlipView = Type.Object({
  slipId: Type.Integer(),
  orderId: Type.Integer(),
  buyerNameMasked: Type.String(),
  packs: Type.Integer(),
  amount: Type.Integer(),
  pickupEndsOn: Type.String({ format: 'date' }),
});

export const DocumentBody = Type.Object({
  type: Type.Union([Type.Literal('id_card'), Type.Literal('nhi_card'), Type.Literal('driver_license')]),
  number: Type.String({ minLength: 1, maxLength: 20 }),
});

export const PickupBody = Type.Object({
  serial: Serial,
  buyerDocument: DocumentBody,
  proxyDocument: Type.Optional(DocumentBody),
});

export const PickupView = Type.Object({
  orderId: Type.Integer(),
  status: Type.Literal('collected'),
  collectedAt: Type.String({ format: 'date-time' }),
  packs: Type.Integer(),
  amount: Type.Integer(),
  byProxy: Type.Boolean(),
});

export const ExchangeBody = Type.Object({
  serial: Serial,
  packs: Type.Integer({ minimum: 1, maximum: 100, description: 'Whole packs of 3 masks' }),
});

export const ExchangeView = Type.Object({
  exchangeId: Type.Integer(),
  orderId: Type.Integer(),
  packs: Type.Integer(),
  masks: Type.Integer(),
});
