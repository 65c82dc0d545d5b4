import { Type } from 'typebox';
import { SEED_PATTERN } from './lottery.js';

export const DrawBody = Type.Object({
  seed: Type.String({
    pattern: SEED_PATTERN,
    description: 'Hex string, published with the result; see docs/DRAW.md for choosing it fairly.',
  }),
});

export const DrawResultView = Type.Object({
  roundId: Type.Integer(),
  orders: Type.Integer(),
  selected: Type.Integer(),
  seed: Type.String(),
  algorithm: Type.String(),
});

export const PublishedDrawView = Type.Object({
  roundId: Type.Integer(),
  seed: Type.String(),
  algorithm: Type.String(),
  supplyPacks: Type.Integer(),
  orders: Type.Integer(),
  selected: Type.Integer(),
  drawnAt: Type.String(),
  exportUrl: Type.String(),
  verification: Type.String(),
});
