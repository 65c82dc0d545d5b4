import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { drawOfRound, exportCursor } from './draw.repo.js';

export const EXPORT_HEADER = 'order_id,selected';

/**
 * The public export of a drawn round (docs/DRAW.md): `order_id,selected` for every order, no
 * personal data, so anyone can recompute the winners from the published seed. Streamed.
 */
export async function exportDraw(input: { roundId: number }, deps: Deps): Promise<AsyncIterable<string>> {
  const draw = await drawOfRound(deps.sql, input.roundId);
  if (!draw) throw new AppError('UNKNOWN_DRAW', `Round ${input.roundId} has not been drawn.`);
  return (async function* () {
    yield `${EXPORT_HEADER}\n`;
    for await (const rows of exportCursor(deps.sql, draw.roundId)) {
      yield rows.map((r) => `${r.id},${r.selected}\n`).join('');
    }
  })();
}
