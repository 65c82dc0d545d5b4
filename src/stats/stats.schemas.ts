import { Type } from 'typebox';

export const StatsQuery = Type.Object({
  roundId: Type.Optional(
    Type.Integer({ minimum: 1, description: 'default: the latest round whose registration has opened' }),
  ),
  days: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 90, default: 14, description: 'days of purchases per channel' }),
  ),
});

export const StatsView = Type.Object({
  generatedAt: Type.String({ description: 'platform time of the figures' }),
  round: Type.Union([
    Type.Object({
      id: Type.Integer(),
      name: Type.String(),
      registrationOpensAt: Type.String(),
      registrationClosesAt: Type.String(),
    }),
    Type.Null(),
  ]),
  ordersPerHour: Type.Array(
    Type.Object({
      hour: Type.String({ description: 'start of the hour, Asia/Taipei' }),
      orders: Type.Integer(),
    }),
    {
      description:
        'orders of the round by the hour of their submission, over its registration window up to now',
    },
  ),
  funnel: Type.Object({
    orders: Type.Integer(),
    selected: Type.Integer(),
    paid: Type.Integer(),
    collected: Type.Integer(),
  }),
  purchasesPerDay: Type.Array(
    Type.Object({
      date: Type.String({ format: 'date' }),
      pharmacy: Type.Integer(),
      online: Type.Integer({ description: 'eMask orders collected that day' }),
      airport: Type.Integer(),
    }),
  ),
  stockByCity: Type.Array(
    Type.Object({
      city: Type.String(),
      pharmacies: Type.Integer(),
      adult: Type.Integer({ description: 'adult masks' }),
      child: Type.Integer({ description: 'child masks' }),
    }),
  ),
});
