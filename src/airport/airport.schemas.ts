import { Type } from 'typebox';
import { Item } from '../pharmacies/pharmacies.schemas.js';

export const CounterParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 }) });

export const AirportSaleBody = Type.Object({
  document: Type.Object({
    type: Type.Union([Type.Literal('nhi_card'), Type.Literal('arc'), Type.Literal('passport')]),
    number: Type.String({ minLength: 1, maxLength: 40 }),
  }),
  item: Item,
  currency: Type.Union([Type.Literal('TWD'), Type.Literal('USD')]),
});

export const AirportSaleView = Type.Object({
  saleId: Type.Integer(),
  price: Type.Integer({ description: 'in `currency`: NT$50 or US$2 by default' }),
  currency: Type.Union([Type.Literal('TWD'), Type.Literal('USD')]),
  nextEligibleOn: Type.String({ format: 'date' }),
  item: Item,
  masks: Type.Integer(),
});
