import { spendRefusal } from '../identity/card-presence.js';
import { type IssuedChallenge, spendChallenges } from '../identity/challenges.js';
import { retryOnConflict, type Sql } from '../platform/db.js';
import { AppError } from '../platform/errors.js';
import {
  claimKeys,
  firstOfEachKey,
  type KeyRef,
  type Outcome,
  refusalOutcome,
  settleKeys,
} from '../platform/idempotency-batch.js';
import { type Pipeline, pipelinedTransaction } from '../platform/pipelined-transaction.js';
import type { CardHolder } from '../purchases/buyers.repo.js';
import { loadProgramme } from '../purchases/programme.repo.js';
import { type History, nextEligibleOn } from '../rules/interval.js';
import { type Item, type Programme, packPrice, packSize } from '../rules/programme.js';
import { assessSale, refusalError } from './assess-sale.js';
import {
  loadHistories,
  lockPersons,
  lockStocks,
  type RecordedSale,
  recordSales,
  type StockAfter,
} from './pharmacies.repo.js';
import type { CardPresence } from './present-card.js';

/**
 * The assessment and the record of pharmacy sales, a batch at a time (bench/RESULTS.md (b)): the
 * sales that proved their card (sell-at-pharmacy.ts `presentForSale`) are decided in ONE pipelined
 * transaction per batch (src/platform/pipelined-transaction.ts), with the locks one sale used to
 * take, in one global order — keys (scope, key), then people (id), then pharmacies (code) — so
 * batches never deadlock on each other (and are retried if anything else makes them): the person
 * row is locked before the history is read (N pharmacies selling to one card at once sell exactly
 * once), the pharmacy row before its stock is read (the stock assessed is the stock decremented,
 * never below zero). Each sale is assessed by `assessSale` on the facts as the earlier ones of the
 * batch left them (`assessInTurn`: a person twice in one batch is sold to once; a pharmacy's last
 * pack goes to the first). Then the purchases, the stock and the audit rows are written in one
 * statement and the outcomes recorded against the keys (src/platform/idempotency-batch.ts). Every
 * sale is answered on its own, after the commit (durable before the 2xx).
 */

export interface SellAtPharmacyInput extends CardPresence {
  pharmacyCode: string;
  item: Item;
  idempotencyKey: string | undefined;
  /** Fingerprint of the request, for the idempotency record. */
  fingerprint: string;
}

export interface SaleBody {
  saleId: number;
  amount: number;
  nextEligibleOn: string;
  item: Item;
  masks: number;
}

export type SaleOutcome = Outcome<SaleBody | unknown> & { replayed: boolean };

/** A sale's answer: an outcome (recorded against its key, if any), or an error that records nothing. */
export type SaleAnswer = { kind: 'done'; outcome: SaleOutcome } | { kind: 'error'; error: AppError };

/** A sale whose card proved present: what its transaction decides it on. */
export interface SaleRequest {
  input: SellAtPharmacyInput;
  key: KeyRef | undefined;
  now: Date;
  day: string;
  holder: CardHolder;
  challenge: IssuedChallenge;
}

/** Not decided in this batch (a second request with the same key): submit it again. */
export const AGAIN = 'again';
export type SaleResult = SaleAnswer | typeof AGAIN;

/**
 * Steps 3–6 and the records for a batch, in one pipelined transaction; a deadlock or
 * serialization failure rolls it back entirely and runs it again. A second sale with a key
 * already in the batch is not decided here (`firstOfEachKey`): AGAIN.
 */
export async function decideSales(sql: Sql, sales: SaleRequest[]): Promise<SaleResult[]> {
  const { first } = firstOfEachKey(sales, (s) => s.key);
  const batch = first.map((i) => sales[i] as SaleRequest);
  const decided = await retryOnConflict(() => pipelinedTransaction(sql, (p) => sellInTransaction(p, batch)), {
    attempts: 3,
  });
  const results: SaleResult[] = sales.map(() => AGAIN);
  first.forEach((i, j) => {
    results[i] = decided[j] ?? AGAIN;
  });
  return results;
}

/**
 * One batch, one transaction, in 2 writes when no sale carries an Idempotency-Key: [BEGIN, use
 * the challenges, lock people, lock pharmacies, read histories and programme], then, after the
 * assessment (`assessInTurn`), [write the sales, record the keys, COMMIT]. Statements sent
 * together run in the order sent (each repo function sends its statement when called). With keys:
 * one more write first to claim them, and one more round trip before COMMIT, as the records of
 * keyed sales carry their sale ids.
 */
async function sellInTransaction(
  { tx, begun, commit }: Pipeline,
  sales: SaleRequest[],
): Promise<SaleResult[]> {
  const out: (SaleResult | undefined)[] = sales.map(() => undefined);
  const recorded: (KeyRef & Outcome)[] = [];
  const released: KeyRef[] = [];
  const settle = (i: number, outcome: Outcome) => {
    out[i] = { kind: 'done', outcome: { ...outcome, replayed: false } };
    const key = sales[i]?.key;
    if (key) recorded.push({ ...key, ...outcome });
  };
  const sale = (i: number) => sales[i] as SaleRequest;

  // 0. Idempotency-Keys: claimed here, or another sale's answer (waited for), or AGAIN.
  const keyed = sales.flatMap((s, i) => (s.key ? [i] : []));
  const [, claims] = await Promise.all([
    keyed.length > 0 ? begun : undefined,
    claimKeys(
      tx,
      keyed.map((i) => ({
        ...(sale(i).key as KeyRef),
        fingerprint: sale(i).input.fingerprint,
        now: sale(i).now,
      })),
    ),
  ]);
  keyed.forEach((i, j) => {
    const claim = claims[j];
    if (claim?.kind === 'replay') out[i] = { kind: 'done', outcome: { ...claim.outcome, replayed: true } };
    else if (claim?.kind === 'reused') out[i] = { kind: 'error', error: claim.error };
    else if (claim?.kind !== 'claimed') out[i] = AGAIN;
  });

  // 1–2. the card still valid with the key that verified the signature, the challenge used up;
  // 3–6. the people locked, then the pharmacies, then the histories read (after the locks): ONE
  // write. A person whose challenge turns out used is locked for nothing: harmless.
  const live = sales.flatMap((_, i) => (out[i] === undefined ? [i] : []));
  const sold: Sold[] = [];
  if (live.length > 0) {
    const personIds = [...new Set(live.map((i) => sale(i).holder.personId))].sort((a, b) => a - b);
    const [, spent, , stocks, histories, programme] = await Promise.all([
      begun,
      spendChallenges(
        tx,
        live.map((i) => {
          const { input, holder, challenge, now } = sale(i);
          return { cardNo: input.cardNo, publicKeyPem: holder.publicKeyPem, challenge, now };
        }),
      ),
      lockPersons(tx, personIds),
      lockStocks(tx, [...new Set(live.map((i) => sale(i).input.pharmacyCode))]),
      loadHistories(tx, personIds),
      loadProgramme(tx),
    ]);
    const present = live.filter((i, j) => {
      const refusal = spendRefusal(spent[j]);
      if (refusal === null) return true;
      // Refused before the person is known: nothing recorded, the key given back.
      out[i] = { kind: 'error', error: refusal };
      const key = sale(i).key;
      if (key) released.push(key);
      return false;
    });
    const verdicts = assessInTurn(
      present.map((i) => sale(i)),
      { stocks, histories, programme },
    );
    present.forEach((i, j) => {
      const verdict = verdicts[j] as Verdict;
      if ('refusal' in verdict) settle(i, refusalOutcome(verdict.refusal));
      else sold.push({ i, ...verdict });
    });
  }

  // The writes: purchases, stock and audit rows in one statement, the key records, COMMIT.
  const answer = (ids: Map<number, number>) => {
    for (const { i, recorded: r, body } of sold) {
      const saleId = ids.get(r.personId);
      if (saleId === undefined) throw new Error('a sale was not recorded');
      settle(i, { status: 201, body: { saleId, ...body } });
    }
  };
  const records = sold.map((s) => s.recorded);
  if (new Set(records.map((s) => s.personId)).size !== records.length) {
    // Unreachable: the interval rule (period ≥ 1 day) refuses a second sale to a person the same day.
    throw new Error('two sales to one person in one batch');
  }
  if (sold.every(({ i }) => sale(i).key === undefined)) {
    const [, ids] = await Promise.all([
      begun,
      recordSales(tx, records),
      settleKeys(tx, recorded, released),
      commit(),
    ]);
    answer(ids);
  } else {
    const [, ids] = await Promise.all([begun, recordSales(tx, records)]);
    answer(ids);
    await Promise.all([settleKeys(tx, recorded, released), commit()]);
  }
  return out.map((r) => r ?? AGAIN);
}

type Verdict = { refusal: AppError } | { recorded: RecordedSale; body: Omit<SaleBody, 'saleId'> };
type Sold = { i: number } & Extract<Verdict, { recorded: RecordedSale }>;

interface BatchFacts {
  stocks: Map<string, StockAfter>;
  histories: Map<number, History>;
  programme: Programme;
}

/**
 * Steps 3–6 of a batch (`assessSale`), on the facts read under its locks, one sale after another
 * on the facts as the earlier ones left them: their packs are out of the stock, their purchases in
 * the history. Pure.
 */
function assessInTurn(sales: SaleRequest[], { stocks, histories, programme }: BatchFacts): Verdict[] {
  return sales.map(({ input, day, now, holder }) => {
    const stock = stocks.get(input.pharmacyCode);
    if (!stock) return { refusal: new AppError('UNKNOWN_PHARMACY', `No pharmacy ${input.pharmacyCode}.`) };
    const history = histories.get(holder.personId) ?? { onSpot: [], paidOrders: [] };
    // THE ONE PLACE a sale reads the buyer's ID, for the weekday rule, which needs only its last
    // digit: masked (maskId: first 2 + stars + last 4), read with the card as `findValidCard`
    // reads it for the eligibility check. The sealed ID is never opened for a sale.
    const { nationalIdMasked: idNumber, birthDate } = holder;
    const [refusal] = assessSale({ idNumber, birthDate, day, item: input.item, programme, history, stock });
    if (refusal) return { refusal: refusalError(refusal) };
    const masks = packSize(input.item, programme);
    const amount = packPrice(input.item, programme);
    stock[input.item] -= masks;
    const after: History = { ...history, onSpot: [...history.onSpot, day] };
    histories.set(holder.personId, after);
    const { pharmacyCode, item } = input;
    return {
      recorded: {
        personId: holder.personId,
        pharmacyCode,
        placeName: stock.name,
        item,
        masks,
        amount,
        at: now,
        day,
      },
      body: { amount, nextEligibleOn: nextEligibleOn(after, day, programme.periodDays) ?? day, item, masks },
    };
  });
}
