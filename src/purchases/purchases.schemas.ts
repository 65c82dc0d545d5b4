import { Type } from 'typebox';

export const PurchaseRecordEntry = Type.Object({
  date: Type.String({ format: 'date', description: 'the Taipei day the purchase counts on' }),
  channel: Type.Union([Type.Literal('pharmacy'), Type.Literal('online'), Type.Literal('airport')]),
  place: Type.String({ description: 'pharmacy, airport counter or pickup store name' }),
  item: Type.Union([Type.Literal('adult'), Type.Literal('child')]),
  quantity: Type.Integer({ description: 'masks (an adult pack is 3, a child pack 5 by default)' }),
});

export const PurchaseRecordView = Type.Object({
  purchases: Type.Array(PurchaseRecordEntry),
  nextEligibleOn: Type.Union([Type.String({ format: 'date' }), Type.Null()]),
});
