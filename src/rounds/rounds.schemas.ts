import { Type } from 'typebox';

export const RoundView = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  registrationOpensAt: Type.String(),
  registrationClosesAt: Type.String(),
  paymentOpensAt: Type.String(),
  paymentClosesAt: Type.String(),
  pickupStartsOn: Type.String(),
  pickupEndsOn: Type.String(),
  supplyPacks: Type.Integer(),
  state: Type.Union([
    Type.Literal('upcoming'),
    Type.Literal('registration'),
    Type.Literal('drawing'),
    Type.Literal('payment'),
    Type.Literal('pickup'),
    Type.Literal('closed'),
  ]),
});
export const RoundsView = Type.Object({ rounds: Type.Array(RoundView) });
export const RoundIdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
