import type { ReservedSql } from 'postgres';
import { type IssuedChallenge, issuedChallenge, verifyEd25519 } from '../identity/challenges.js';
import { noteStockChanged } from '../opendata/stock-signal.js';
import { retryOnConflict, type Sql } from '../platform/db.js';
import type { Deps } from '../platform/deps.js';
import { AppError, errorBody } from '../platform/errors.js';
import type { Outcome } from '../platform/idempotency.js';
import { batcherFor, MicroBatcher } from '../platform/micro-batch.js';
import { loadProgramme } from '../purchases/programme.repo.js';
import { type History, nextEligibleOn } from '../rules/interval.js';
import { type Item, packPrice, packSize } from '../rules/programme.js';
import { taipeiDay } from '../rules/taipei-date.js';
import { assessSale, refusalError } from './assess-sale.js';
import {
  claimKeys,
  keyRecords,
  loadHistories,
  lockPersons,
  lockStocks,
  type PresenceQuery,
  type PresenceRow,
  type RecordedSale,
  readPresences,
  recordSales,
  settleKeys,
  spendChallenges,
} from './pharmacies.repo.js';
import type { CardPresence } from './present-card.js';

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

type SaleOutcome = Outcome<SaleBody | unknown> & { replayed: boolean };

const unknownCard = () => new AppError('UNKNOWN_CARD', 'This card is not known or is no longer valid.');
const cardNotPresent = () =>
  new AppError(
    'CARD_NOT_PRESENT',
    "The card's signature does not prove it is here: read the card again with a new challenge.",
  );
/** As src/platform/idempotency.ts answers it. */
const keyReused = () =>
  new AppError(
    'IDEMPOTENCY_KEY_REUSED',
    'This Idempotency-Key was already used for a different request; use a new key for a new request.',
  );

/**
 * A pharmacy sale (SPEC §3, §4). Checks, in the order a pharmacist needs them:
 *
 * 0. a retry with an Idempotency-Key already answered → that answer (replayed), nothing done
 *    (the same key with another request → 409 IDEMPOTENCY_KEY_REUSED)
 * 1. the card is known and valid                       → 404 UNKNOWN_CARD
 * 2. the card is present: it signed a fresh challenge  → 422 CARD_NOT_PRESENT
 *    (nothing about the person is revealed before this; from here on the challenge is used up
 *    even when the sale is refused; 1 and 2 record nothing and use nothing up)
 * 3–6. `assessSale` (assess-sale.ts), the function the eligibility check calls too:
 *    weekday → 409 WRONG_DAY_FOR_ID, child age → 422 CHILD_ITEM_NOT_ALLOWED,
 *    interval → 409 NOT_YET_ELIGIBLE, stock → 409 OUT_OF_STOCK; its first refusal is the answer.
 *
 * Throughput (bench/RESULTS.md (b)): concurrent sales are coalesced, twice.
 * - `readPresences`: card, challenge and key record of many sales in one read; the signature is
 *   verified here (parsed keys cached by PEM, challenges.ts).
 * - `sellBatch`: the sales that proved their card are decided in ONE transaction per batch, with
 *   the locks one sale used to take, in one global order — keys (scope, key), then people (id),
 *   then pharmacies (code) — so batches never deadlock on each other (and are retried if anything
 *   else makes them): the person row is locked before the history is read (N pharmacies selling to
 *   one card at once sell exactly once), the pharmacy row before its stock is read (the stock
 *   assessed is the stock decremented, never below zero). Within the batch the sales are assessed
 *   one after another on the facts as the earlier ones left them (a person twice in one batch is
 *   sold to once; a pharmacy's last pack goes to the first). Then the purchases, the stock and the
 *   audit rows are written in one statement, and the outcomes recorded against the keys; the
 *   whole transaction is 2 writes to the database (see `sellBatch`). Every sale is answered on
 *   its own, after the commit (durable before the 2xx).
 */
export async function sellAtPharmacy(input: SellAtPharmacyInput, deps: Deps): Promise<SaleOutcome> {
  const now = deps.clock.now();
  const day = taipeiDay(now);
  const scope = `pharmacy:${input.pharmacyCode}`;
  const key = input.idempotencyKey;
  const challenge = issuedChallenge(deps.vault, input.challengeId, now);
  const presence = await presenceBatcher(deps.sql).submit({
    cardNo: input.cardNo,
    challengeId: challenge?.challengeId ?? null,
    scope,
    key: key ?? '',
    now,
  });
  if (key !== undefined && presence.keyStatus !== null) {
    if (presence.keyFingerprint !== input.fingerprint) throw keyReused();
    return { status: presence.keyStatus, body: presence.keyBody, replayed: true };
  }
  if (presence.personId === null || presence.publicKeyPem === null || presence.birthDate === null) {
    throw unknownCard();
  }
  if (
    challenge === null ||
    presence.challengeUsed ||
    !verifyEd25519(presence.publicKeyPem, challenge.nonce, input.cardSignature)
  ) {
    throw cardNotPresent();
  }
  const sale: SaleRequest = {
    input,
    scope,
    key,
    now,
    day,
    personId: presence.personId,
    birthDate: presence.birthDate,
    publicKeyPem: presence.publicKeyPem,
    challenge,
    idNumber: idForWeekday(presence),
  };
  for (;;) {
    const result = await saleBatcher(deps.sql).submit(sale);
    if (result.kind === 'again') continue;
    if (result.kind === 'error') throw result.error;
    if (result.outcome.status === 201 && !result.outcome.replayed) noteStockChanged();
    return result.outcome;
  }
}

/**
 * THE ONE PLACE a sale reads the buyer's ID, for the weekday rule, which needs only its last
 * digit: `persons.national_id_masked` (maskId: first 2 + stars + last 4, issue 6), read with the
 * card by `readPresences` — as `findValidCard` (src/purchases/buyers.repo.ts) reads it for the
 * eligibility check. The sealed ID is never opened for a sale.
 */
function idForWeekday(presence: PresenceRow): string {
  return presence.idMasked ?? '';
}

interface SaleRequest {
  input: SellAtPharmacyInput;
  scope: string;
  key: string | undefined;
  now: Date;
  day: string;
  personId: number;
  birthDate: string;
  publicKeyPem: string;
  challenge: IssuedChallenge;
  idNumber: string;
}

type SaleResult =
  | { kind: 'done'; outcome: SaleOutcome }
  | { kind: 'error'; error: AppError }
  /** Not decided in this batch (a second request with the same key): submit it again. */
  | { kind: 'again' };

// At most 2 batches of each kind in flight: measured with 64 counters at once, that doubles the
// batch size over 4 in flight (≈ 14 sales per transaction), with shorter waits, not longer ones.
const presenceBatchers = new WeakMap<Sql, MicroBatcher<PresenceQuery, PresenceRow>>();
const saleBatchers = new WeakMap<Sql, MicroBatcher<SaleRequest, SaleResult>>();

function presenceBatcher(sql: Sql): MicroBatcher<PresenceQuery, PresenceRow> {
  return batcherFor(
    presenceBatchers,
    sql,
    () => new MicroBatcher((items) => readPresences(sql, items), { maxBatch: 500, maxConcurrent: 2 }),
  );
}

function saleBatcher(sql: Sql): MicroBatcher<SaleRequest, SaleResult> {
  return batcherFor(
    saleBatchers,
    sql,
    () => new MicroBatcher((items) => sellBatchRetrying(sql, items), { maxBatch: 300, maxConcurrent: 2 }),
  );
}

async function sellBatchRetrying(sql: Sql, items: SaleRequest[]): Promise<SaleResult[]> {
  // A second request with a key already in this batch waits for the next batch, where it finds
  // the first one's record (as a concurrent duplicate waits on the key's row).
  const results: (SaleResult | undefined)[] = items.map(() => undefined);
  const seen = new Set<string>();
  const active: number[] = [];
  items.forEach((item, i) => {
    if (item.key !== undefined) {
      const id = keyId(item.scope, item.key);
      if (seen.has(id)) {
        results[i] = { kind: 'again' };
        return;
      }
      seen.add(id);
    }
    active.push(i);
  });
  // Deadlocks and serialization failures: the whole batch is retried (it rolled back entirely).
  const decided = await retryOnConflict(
    () => onReservedConnection(sql, (conn) => sellBatch(conn, items, active)),
    { attempts: 3 },
  );
  for (const [i, result] of decided) results[i] = result;
  return results.map((r) => r ?? { kind: 'again' });
}

const keyId = (scope: string, key: string) => `${scope}\n${key}`;

/**
 * A connection of its own for one batch transaction, whose BEGIN and COMMIT `work` sends itself,
 * pipelined with the statements next to them (one write instead of a round trip each, unlike
 * `sql.begin`). Anything thrown rolls back (ROLLBACK is harmless when nothing is open).
 */
async function onReservedConnection<T>(sql: Sql, work: (conn: ReservedSql) => Promise<T>): Promise<T> {
  const conn = await sql.reserve();
  try {
    return await work(conn);
  } catch (error) {
    await conn`rollback`.catch(() => undefined);
    throw error;
  } finally {
    conn.release();
  }
}

/**
 * One batch, one transaction, in 2 writes when no sale carries an Idempotency-Key: [BEGIN, use
 * the challenges, lock people, lock pharmacies, read histories and programme], then, after the
 * assessment here, [write the sales, record the keys, COMMIT]. Statements sent together run in the
 * order sent (each repo function sends its statement when called), each in its own snapshot; if
 * one fails, the ones after it fail too and COMMIT becomes a rollback.
 */
async function sellBatch(
  tx: ReservedSql,
  items: SaleRequest[],
  active: number[],
): Promise<Map<number, SaleResult>> {
  const begun = tx`begin`.execute();
  const out = new Map<number, SaleResult>();
  const recorded: { scope: string; key: string; status: number; body: unknown }[] = [];
  const released: { scope: string; key: string }[] = [];
  const item = (i: number) => items[i] as SaleRequest;

  // 0. Idempotency-Keys: claim them; a key another sale holds is waited for and replayed.
  const keyed = active.filter((i) => item(i).key !== undefined);
  const [, claimed] = await Promise.all([
    keyed.length > 0 ? begun : undefined,
    claimKeys(
      tx,
      keyed.map((i) => ({
        scope: item(i).scope,
        key: item(i).key as string,
        fingerprint: item(i).input.fingerprint,
        now: item(i).now,
      })),
    ),
  ]);
  const taken = keyed.filter((i) => !claimed.has(keyId(item(i).scope, item(i).key as string)));
  if (taken.length > 0) {
    const records = await keyRecords(
      tx,
      taken.map((i) => ({ scope: item(i).scope, key: item(i).key as string })),
    );
    const byKey = new Map(records.map((r) => [keyId(r.scope, r.key), r]));
    for (const i of taken) {
      const record = byKey.get(keyId(item(i).scope, item(i).key as string));
      if (!record || record.status === null) out.set(i, { kind: 'again' });
      else if (record.fingerprint !== item(i).input.fingerprint)
        out.set(i, { kind: 'error', error: keyReused() });
      else
        out.set(i, { kind: 'done', outcome: { status: record.status, body: record.body, replayed: true } });
    }
  }
  const refuse = (i: number, error: AppError, record: boolean) => {
    const it = item(i);
    if (record) {
      out.set(i, {
        kind: 'done',
        outcome: { status: error.status, body: errorBody(error), replayed: false },
      });
      if (it.key !== undefined) {
        recorded.push({ scope: it.scope, key: it.key, status: error.status, body: errorBody(error) });
      }
    } else {
      out.set(i, { kind: 'error', error });
      if (it.key !== undefined) released.push({ scope: it.scope, key: it.key });
    }
  };

  // 1–6 in ONE write (pipelined; the statements run in this order, each in its own snapshot):
  // 1–2. the card is still valid with the key that verified the signature, the challenge is used
  // up; 3–6. the people locked, then the pharmacies, then the histories read (after the locks).
  // A person whose challenge turns out used is locked for nothing: harmless.
  let live = active.filter((i) => !out.has(i));
  const sales: RecordedSale[] = [];
  const sold: { i: number; body: Omit<SaleBody, 'saleId'> }[] = [];
  if (live.length > 0) {
    const personIds = [...new Set(live.map((i) => item(i).personId))].sort((a, b) => a - b);
    const [, uses, , stocks, histories, programme] = await Promise.all([
      begun,
      spendChallenges(
        tx,
        live.map((i) => ({
          cardNo: item(i).input.cardNo,
          publicKeyPem: item(i).publicKeyPem,
          challenge: item(i).challenge,
          now: item(i).now,
        })),
      ),
      lockPersons(tx, personIds),
      lockStocks(tx, [...new Set(live.map((i) => item(i).input.pharmacyCode))]),
      loadHistories(tx, personIds),
      loadProgramme(tx),
    ]);
    live.forEach((i, j) => {
      const use = uses[j];
      if (!use?.card) refuse(i, unknownCard(), false);
      else if (!use.used) refuse(i, cardNotPresent(), false);
    });
    live = live.filter((i) => !out.has(i));
    for (const i of live) {
      const { input, day, personId } = item(i);
      const stock = stocks.get(input.pharmacyCode);
      if (!stock) {
        refuse(i, new AppError('UNKNOWN_PHARMACY', `No pharmacy ${input.pharmacyCode}.`), true);
        continue;
      }
      const history = histories.get(personId) ?? { onSpot: [], paidOrders: [] };
      const [refusal] = assessSale({
        idNumber: item(i).idNumber,
        birthDate: item(i).birthDate,
        day,
        item: input.item,
        programme,
        history,
        stock,
      });
      if (refusal) {
        refuse(i, refusalError(refusal), true);
        continue;
      }
      const masks = packSize(input.item, programme);
      const amount = packPrice(input.item, programme);
      stock[input.item] -= masks;
      const after: History = { ...history, onSpot: [...history.onSpot, day] };
      histories.set(personId, after);
      sales.push({
        personId,
        pharmacyCode: input.pharmacyCode,
        placeName: stock.name,
        item: input.item,
        masks,
        amount,
        at: item(i).now,
        day,
      });
      const next = nextEligibleOn(after, day, programme.periodDays) ?? day;
      sold.push({ i, body: { amount, nextEligibleOn: next, item: input.item, masks } });
    }
  }

  // The writes: purchases, stock and audit rows in one statement, the key records, COMMIT.
  if (new Set(sales.map((s) => s.personId)).size !== sales.length) {
    // Unreachable: the interval rule (period ≥ 1 day) refuses a second sale to a person the same day.
    throw new Error('two sales to one person in one batch');
  }
  const answer = (ids: Map<number, number>) =>
    sold.map(({ i, body }) => {
      const it = item(i);
      const saleId = ids.get(it.personId);
      if (saleId === undefined) throw new Error('a sale was not recorded');
      const outcome = { status: 201, body: { saleId, ...body }, replayed: false };
      out.set(i, { kind: 'done', outcome });
      return { it, outcome };
    });
  if (sold.every(({ i }) => item(i).key === undefined)) {
    const [, ids] = await Promise.all([
      begun,
      recordSales(tx, sales),
      settleKeys(tx, recorded, released),
      tx`commit`.execute(),
    ]);
    answer(ids);
  } else {
    // The records of keyed sales carry their sale ids: one more round trip.
    const [, ids] = await Promise.all([begun, recordSales(tx, sales)]);
    for (const { it, outcome } of answer(ids)) {
      if (it.key !== undefined)
        recorded.push({ scope: it.scope, key: it.key, status: 201, body: outcome.body });
    }
    await Promise.all([settleKeys(tx, recorded, released), tx`commit`.execute()]);
  }
  return out;
}
