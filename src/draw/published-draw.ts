import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { toTaipeiIso } from '../rules/taipei-date.js';
import { drawOfRound } from './draw.repo.js';

export interface PublishedDraw {
  roundId: number;
  seed: string;
  algorithm: string;
  supplyPacks: number;
  orders: number;
  selected: number;
  drawnAt: string;
  exportUrl: string;
  verification: string;
}

/** How anyone re-runs the draw (docs/DRAW.md). */
export function verificationText(roundId: number, seed: string, supplyPacks: number): string {
  return [
    `Download GET /api/v1/rounds/${roundId}/draw/export.csv: every order of the round as "order_id,selected".`,
    'For each order compute SHA-256 over the seed bytes (the hex seed decoded; an odd-length seed gets a',
    'leading 0) followed by the order id written in decimal ASCII digits. Sort the orders by that hash',
    `(bytewise, ascending; equal hashes by lower order id) and take the first ${supplyPacks} (supplyPacks):`,
    'those, and only those, are selected. If there are no more orders than supplyPacks, all are selected.',
    `The script in the repository does this: npx tsx scripts/verify-draw.ts export.csv ${seed} ${supplyPacks}`,
  ].join(' ');
}

/** The published draw of a round (API.md `GET /rounds/{id}/draw`); 404 UNKNOWN_DRAW until it has run. */
export async function publishedDraw(input: { roundId: number }, deps: Deps): Promise<PublishedDraw> {
  const draw = await drawOfRound(deps.sql, input.roundId);
  if (!draw) throw new AppError('UNKNOWN_DRAW', `Round ${input.roundId} has not been drawn.`);
  return {
    roundId: draw.roundId,
    seed: draw.seed,
    algorithm: draw.algorithm,
    supplyPacks: draw.supplyPacks,
    orders: draw.orders,
    selected: draw.selected,
    drawnAt: toTaipeiIso(draw.drawnAt),
    exportUrl: `/api/v1/rounds/${draw.roundId}/draw/export.csv`,
    verification: verificationText(draw.roundId, draw.seed, draw.supplyPacks),
  };
}
