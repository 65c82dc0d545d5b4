import { provenHolder } from '../identity/card-presence.js';
import { type IssuedChallenge, issuedChallenge } from '../identity/challenges.js';
import { noteStockChanged } from '../opendata/stock-signal.js';
import type { Sql } from '../platform/db.js';
import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { replayOf } from '../platform/idempotency-batch.js';
import { batcherFor, MicroBatcher } from '../platform/micro-batch.js';
import { taipeiDay } from '../rules/taipei-date.js';
import {
  AGAIN,
  decideSales,
  type SaleAnswer,
  type SaleOutcome,
  type SaleRequest,
  type SaleResult,
  type SellAtPharmacyInput,
} from './decide-sales.js';
import { readPresences } from './pharmacies.repo.js';

export type { SaleAnswer, SaleBody, SellAtPharmacyInput } from './decide-sales.js';

/**
 * A pharmacy sale (SPEC §3, §4). Checks, in the order a pharmacist needs them:
 *
 * 0. a retry with an Idempotency-Key already answered → that answer (replayed), nothing done
 *    (the same key with another request → 409 IDEMPOTENCY_KEY_REUSED; idempotency-batch.ts)
 * 1. the card is known and valid                       → 404 UNKNOWN_CARD
 * 2. the card is present: it signed a fresh challenge  → 422 CARD_NOT_PRESENT
 *    (src/identity/card-presence.ts; nothing about the person is revealed before this; from here
 *    on the challenge is used up even when the sale is refused; 1 and 2 record nothing)
 * 3–6. `assessSale` (assess-sale.ts), the function the eligibility check calls too:
 *    weekday → 409 WRONG_DAY_FOR_ID, child age → 422 CHILD_ITEM_NOT_ALLOWED,
 *    interval → 409 NOT_YET_ELIGIBLE, stock → 409 OUT_OF_STOCK; its first refusal is the answer.
 *
 * Throughput (bench/RESULTS.md (b)): concurrent sales are coalesced, twice (micro-batch.ts), into
 * two steps: presence (`presentForSale`: card, challenge and key record of many sales in one
 * read, the signature verified here, parsed keys cached by PEM, challenges.ts), then assessment and
 * record (decide-sales.ts: one pipelined transaction per batch, 2 writes to the database when no
 * sale carries a key).
 */
export async function sellAtPharmacy(input: SellAtPharmacyInput, deps: Deps): Promise<SaleOutcome> {
  const present = await presenceBatcher(deps.sql).submit(saleQuery(input, deps));
  let result: SaleResult = 'sale' in present ? AGAIN : present;
  while (result === AGAIN) result = await saleBatcher(deps.sql).submit((present as Present).sale);
  const answer = noted(result);
  if (answer.kind === 'error') throw answer.error;
  return answer.outcome;
}

/**
 * Sales given together, as one batch of each step: one answer per input, in order. The API does
 * not call it; it coalesces concurrent requests into the same steps (`sellAtPharmacy`).
 */
export async function sellBatch(inputs: readonly SellAtPharmacyInput[], deps: Deps): Promise<SaleAnswer[]> {
  const present = await presentForSale(
    deps.sql,
    inputs.map((input) => saleQuery(input, deps)),
  );
  const results: SaleResult[] = present.map((p) => ('sale' in p ? AGAIN : p));
  for (let left = undecided(results); left.length > 0; left = undecided(results)) {
    const decided = await decideSales(
      deps.sql,
      left.map((i) => (present[i] as Present).sale),
    );
    left.forEach((i, j) => {
      results[i] = decided[j] ?? AGAIN;
    });
  }
  return (results as SaleAnswer[]).map(noted);
}

const undecided = (results: SaleResult[]) => results.flatMap((r, i) => (r === AGAIN ? [i] : []));

/** The open-data stock feed hears of every pack sold (stock-signal.ts). */
function noted(answer: SaleAnswer): SaleAnswer {
  if (answer.kind === 'done' && answer.outcome.status === 201 && !answer.outcome.replayed) noteStockChanged();
  return answer;
}

interface SaleQuery {
  input: SellAtPharmacyInput;
  now: Date;
  /** The challenge as the platform issued it, if valid now (whether it is used, the read says). */
  challenge: IssuedChallenge | null;
}

type Present = { sale: SaleRequest };

function saleQuery(input: SellAtPharmacyInput, deps: Deps): SaleQuery {
  const now = deps.clock.now();
  return { input, now, challenge: issuedChallenge(deps.vault, input.challengeId, now) };
}

const scopeOf = (input: SellAtPharmacyInput) => `pharmacy:${input.pharmacyCode}`;

/** Steps 0–2 for a batch, in one read (pharmacies.repo.ts `readPresences`). */
async function presentForSale(sql: Sql, queries: SaleQuery[]): Promise<(SaleAnswer | Present)[]> {
  const presences = await readPresences(
    sql,
    queries.map(({ input, challenge }) => ({
      cardNo: input.cardNo,
      challengeId: challenge?.challengeId ?? null,
      scope: scopeOf(input),
      key: input.idempotencyKey ?? '',
    })),
  );
  return queries.map(({ input, now, challenge }, j) => {
    const { card, challengeUsed, record } = presences[j] as (typeof presences)[number];
    const key =
      input.idempotencyKey === undefined ? undefined : { scope: scopeOf(input), key: input.idempotencyKey };
    const replay = key ? replayOf(record, input.fingerprint) : undefined;
    if (replay?.kind === 'reused') return { kind: 'error', error: replay.error };
    if (replay?.kind === 'replay') return { kind: 'done', outcome: { ...replay.outcome, replayed: true } };
    const usable = challenge !== null && !challengeUsed ? challenge : null;
    const holder = provenHolder(card, usable?.nonce ?? null, input.cardSignature);
    if (holder instanceof AppError) return { kind: 'error', error: holder };
    // A card proved present had a usable challenge.
    return { sale: { input, key, now, day: taipeiDay(now), holder, challenge: usable as IssuedChallenge } };
  });
}

// At most 2 batches of each kind in flight: measured with 64 counters at once, that doubles the
// batch size over 4 in flight (≈ 14 sales per transaction), with shorter waits, not longer ones.
const presenceBatchers = new WeakMap<Sql, MicroBatcher<SaleQuery, SaleAnswer | Present>>();
const saleBatchers = new WeakMap<Sql, MicroBatcher<SaleRequest, SaleResult>>();

function presenceBatcher(sql: Sql): MicroBatcher<SaleQuery, SaleAnswer | Present> {
  return batcherFor(
    presenceBatchers,
    sql,
    () => new MicroBatcher((items) => presentForSale(sql, items), { maxBatch: 500, maxConcurrent: 2 }),
  );
}

function saleBatcher(sql: Sql): MicroBatcher<SaleRequest, SaleResult> {
  return batcherFor(
    saleBatchers,
    sql,
    () => new MicroBatcher((items) => decideSales(sql, items), { maxBatch: 300, maxConcurrent: 2 }),
  );
}
