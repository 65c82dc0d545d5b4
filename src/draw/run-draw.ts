import { writeAudit } from '../platform/audit.js';
import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { markRoundDrawn } from '../rounds/rounds.repo.js';
import { toTaipeiIso } from '../rules/taipei-date.js';
import {
  countOrders,
  type DrawRow,
  drawOfRound,
  insertDraw,
  lockRoundForDraw,
  queueSelectedEmails,
  selectAll,
  selectWinners,
} from './draw.repo.js';
import {
  AMOUNT_PLACEHOLDER,
  OFFICIAL_EMAIL_SENDER,
  ORDER_ID_PLACEHOLDER,
  REFERENCE_PLACEHOLDER,
  selectedEmail,
} from './draw-notice.js';
import { DRAW_ALGORITHM, normalizeSeed } from './lottery.js';

export interface DrawResult {
  roundId: number;
  orders: number;
  selected: number;
  seed: string;
  algorithm: string;
}

export function drawResult(row: DrawRow): DrawResult {
  return {
    roundId: row.roundId,
    orders: row.orders,
    selected: row.selected,
    seed: row.seed,
    algorithm: row.algorithm,
  };
}

/**
 * Run a round's draw once registration has closed (SPEC §5, [ORD 24.1 note, 24.4]): if orders ≤
 * supply everyone is selected, otherwise the verifiable lottery of src/draw/lottery.ts decides.
 * In ONE transaction, in bulk SQL: the winners are written to `draw_winners` (no order row is
 * rewritten: a winner reads as awaiting payment, with the virtual account derived from its ids:
 * docs/ARCHITECTURE.md#order-lifecycle), one "selected" e-mail each is queued as one template row that delivery expands
 * (migration 0051; never an SMS [ORD 22.2]), the round is
 * marked drawn, the draw and an audit row are recorded. The round row is locked, so two calls
 * at once run it once; any later call returns the first result unchanged, whatever its seed.
 * After the commit, `draw_winners` is analysed (`analyzeWinners`).
 */
export async function runDraw(
  input: { roundId: number; seed: string },
  deps: Deps,
  actor: string,
): Promise<DrawResult> {
  const { seed, bytes } = normalizeSeed(input.seed);
  const now = deps.clock.now();
  let drew = false;
  const result = await deps.sql.begin(async (tx) => {
    const round = await lockRoundForDraw(tx, input.roundId);
    if (!round) throw new AppError('UNKNOWN_ROUND', `No round ${input.roundId}.`);
    const earlier = await drawOfRound(tx, round.id);
    if (earlier) return drawResult(earlier);
    if (now < round.registrationClosesAt) {
      throw new AppError('REGISTRATION_NOT_CLOSED', 'The draw runs after registration closes.', {
        registrationClosesAt: toTaipeiIso(round.registrationClosesAt),
      });
    }
    const orders = await countOrders(tx, round.id);
    const selected =
      orders <= round.supplyPacks
        ? await selectAll(tx, round.id)
        : await selectWinners(tx, round.id, bytes, round.supplyPacks, { orders });
    const email = selectedEmail(round, deps.config.paymentBank);
    await queueSelectedEmails(
      tx,
      round.id,
      {
        from: OFFICIAL_EMAIL_SENDER,
        subject: email.subject,
        body: email.body,
        summary: email.summary,
        orderIdPlaceholder: ORDER_ID_PLACEHOLDER,
        amountPlaceholder: AMOUNT_PLACEHOLDER,
        referencePlaceholder: REFERENCE_PLACEHOLDER,
      },
      now,
    );
    await markRoundDrawn(tx, round.id, now);
    const row: DrawRow = {
      roundId: round.id,
      seed,
      algorithm: DRAW_ALGORITHM,
      supplyPacks: round.supplyPacks,
      orders,
      selected,
      drawnAt: now,
    };
    await insertDraw(tx, { ...row, drawnBy: actor });
    drew = true;
    await writeAudit(
      tx,
      {
        actorKind: 'admin',
        actorId: actor,
        action: 'round.draw',
        subject: `round:${round.id}`,
        details: { seed, orders, selected, supplyPacks: round.supplyPacks },
      },
      now,
    );
    return drawResult(row);
  });
  if (drew) await analyzeWinners(deps);
  return result;
}

/**
 * Fresh planner statistics for `draw_winners` right after a draw added its winners, instead of
 * up to a minute later by autovacuum. Statistics taken while the table was empty (a manual
 * `ANALYZE` before the first draw) would leave the plans cached in every connection scanning
 * the whole table for each order whose state is read, instead of probing its key (docs/PAYMENTS.md
 * "Where a payment is stored"); a new `ANALYZE` invalidates those plans. It samples ≈ 30,000
 * rows, whatever the round's size. The draw has committed: a failure here is logged, not answered.
 */
async function analyzeWinners(deps: Pick<Deps, 'sql' | 'log'>): Promise<void> {
  try {
    await deps.sql`analyze draw_winners`;
  } catch (error) {
    deps.log.warn({ err: error }, 'analyze draw_winners after the draw failed');
  }
}
