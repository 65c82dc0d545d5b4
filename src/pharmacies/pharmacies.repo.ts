import {
  type CardPresenceQuery,
  type CardPresenceRow,
  cardPresencesQuery,
  type PresenceFacts,
  presenceFactsOf,
} from '../identity/card-presence.js';
import type { Db } from '../platform/db.js';
import { type KeyRecord, type KeyRef, keyRecordsQuery } from '../platform/idempotency-batch.js';
import type { Vault } from '../platform/vault.js';
import type { History, PaidOrder } from '../rules/interval.js';
import type { Item } from '../rules/programme.js';

export interface StockAfter {
  name: string;
  adult: number;
  child: number;
}

/**
 * Takes `masks` out of a pharmacy's stock of `item` only if that many are left: a conditional
 * update, so concurrent sales can never drive the stock below zero (SPEC §4). Undefined when
 * the stock is short (or the pharmacy unknown).
 */
export async function takeStock(
  db: Db,
  code: string,
  item: Item,
  masks: number,
  now: Date,
): Promise<StockAfter | undefined> {
  const rows =
    item === 'adult'
      ? await db<StockAfter[]>`
          update pharmacies set adult_stock = adult_stock - ${masks}, stock_updated_at = ${now}
          where code = ${code} and adult_stock >= ${masks}
          returning name, adult_stock as adult, child_stock as child`
      : await db<StockAfter[]>`
          update pharmacies set child_stock = child_stock - ${masks}, stock_updated_at = ${now}
          where code = ${code} and child_stock >= ${masks}
          returning name, adult_stock as adult, child_stock as child`;
  return rows[0];
}

export async function stockOf(db: Db, code: string): Promise<StockAfter | undefined> {
  const rows = await db<StockAfter[]>`
    select name, adult_stock as adult, child_stock as child from pharmacies where code = ${code}`;
  return rows[0];
}

export async function setStock(
  db: Db,
  code: string,
  stock: { adult: number; child: number },
  now: Date,
): Promise<{ adult: number; child: number; updatedAt: Date } | undefined> {
  const rows = await db<{ adult: number; child: number; updatedAt: Date }[]>`
    update pharmacies set adult_stock = ${stock.adult}, child_stock = ${stock.child}, stock_updated_at = ${now}
    where code = ${code}
    returning adult_stock as adult, child_stock as child, stock_updated_at as "updatedAt"`;
  return rows[0];
}

/**
 * A sale's read of the stock, locking the pharmacy row until the sale commits: the stock the
 * sale is assessed on is the stock its decrement sees. Taken AFTER `lockPerson` (persons before
 * pharmacies, in every sale), so two sales never wait on each other in opposite orders.
 */
export async function lockStock(db: Db, code: string): Promise<StockAfter | undefined> {
  const rows = await db<StockAfter[]>`
    select name, adult_stock as adult, child_stock as child from pharmacies where code = ${code}
    for update`;
  return rows[0];
}

/** The card holder's name, for the POS's masked greeting (never logged, never audited). */
export async function holderName(db: Db, vault: Vault, personId: number): Promise<string | undefined> {
  const rows = await db<{ name: string }[]>`select name from persons where id = ${personId}`;
  return rows[0] ? vault.open('name', rows[0].name) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Coalesced sales (bench/RESULTS.md (b)): the statements of sell-at-pharmacy.ts and
// decide-sales.ts, each for a whole batch of concurrent sales. One statement serves every sale of
// the batch; the rules are still decided per sale, under the same row locks as one sale at a
// time. The card presence and the Idempotency-Keys of a batch are identity's and the platform's
// (src/identity/card-presence.ts, challenges.ts `spendChallenges`;
// src/platform/idempotency-batch.ts); only the SQL proper to a sale is here.

/** Kept importable from here, where the sale's batch tests look for it. */
export { spendChallenges } from '../identity/challenges.js';

/** What a sale needs to know before it may go on: its card, its challenge, its Idempotency-Key. */
export interface PresenceQuery extends CardPresenceQuery, KeyRef {}

export interface SalePresence extends PresenceFacts {
  /** The Idempotency-Key's committed record (all null: none, or the sale has no key). */
  record: KeyRecord;
}

/**
 * Card, challenge and idempotency record of many sales in ONE read: one snapshot per batch, so a
 * sale that committed is seen with its key recorded AND its challenge used, never half of it.
 * The card's and the key's parts are identity's and the platform's queries, joined on their row.
 */
export async function readPresences(db: Db, queries: readonly PresenceQuery[]): Promise<SalePresence[]> {
  const rows = await db<(CardPresenceRow & KeyRecord & { n: number })[]>`
    select * from (${cardPresencesQuery(db, queries)}) c
      join (${keyRecordsQuery(db, queries)}) k using (n)
    order by n`;
  if (rows.length !== queries.length) throw new Error('presence read returned a wrong number of rows');
  return rows.map((row) => ({
    ...presenceFactsOf(row),
    record: { fingerprint: row.fingerprint, status: row.status, body: row.body },
  }));
}

// The statements below send themselves when called (`.execute()`), so that a caller can send
// several in one write (pipelined) and they run in the order they were called.

/** `lockPerson` for many people, in id order (every sale batch locks people in the same order). */
export async function lockPersons(db: Db, personIds: readonly number[]): Promise<void> {
  if (personIds.length === 0) return;
  await db`
    select id from persons where id = any(${db.array(personIds.map(String))}::text[]::int8[])
    order by id for update`.execute();
}

/** `lockStock` for many pharmacies, in code order, AFTER `lockPersons` (as one sale does). */
export async function lockStocks(db: Db, codes: readonly string[]): Promise<Map<string, StockAfter>> {
  if (codes.length === 0) return new Map();
  const rows = await db<(StockAfter & { code: string })[]>`
    select code, name, adult_stock as adult, child_stock as child from pharmacies
    where code = any(${db.array([...codes])}::text[]::bpchar[])
    order by code for update`.execute();
  return new Map(rows.map(({ code, ...stock }) => [code.trimEnd(), stock]));
}

export interface RecordedSale {
  personId: number;
  pharmacyCode: string;
  placeName: string;
  item: Item;
  masks: number;
  amount: number;
  at: Date;
  day: string;
}

/**
 * Writes the sales of a batch in ONE statement: the stock of each pharmacy taken, one purchase per
 * sale, its audit row (as `writeAudit` writes it). At most one sale per person per batch (the
 * interval rule refuses a second one the same day). Returns each sale's purchase id by person.
 * The stock can never go below zero: the caller assessed it under the row lock, and should it
 * ever be short all the same, the table's check (`adult_stock >= 0`, `child_stock >= 0`) fails
 * the statement, hence the whole batch, instead of selling what is not there.
 */
export async function recordSales(db: Db, sales: readonly RecordedSale[]): Promise<Map<number, number>> {
  if (sales.length === 0) return new Map();
  const col = (f: (s: RecordedSale) => string | number) => db.array(sales.map((s) => String(f(s))));
  const rows = await db<{ id: number; personId: number }[]>`
    with s as (
      select * from unnest(${col((s) => s.personId)}::text[]::int8[], ${col((s) => s.pharmacyCode)}::text[],
                           ${col((s) => s.placeName)}::text[], ${col((s) => s.item)}::text[],
                           ${col((s) => s.masks)}::text[]::int[], ${col((s) => s.amount)}::text[]::int[],
                           ${col((s) => s.at.toISOString())}::text[]::timestamptz[], ${col((s) => s.day)}::text[]::date[])
        with ordinality as t (person_id, code, place_name, item, masks, amount, at, day, n)
    ), d as (
      select code,
             sum(case when item = 'adult' then masks else 0 end)::int as adult,
             sum(case when item = 'child' then masks else 0 end)::int as child,
             max(at) as at
      from s group by code
    ), st as (
      update pharmacies p
      set adult_stock = p.adult_stock - d.adult, child_stock = p.child_stock - d.child, stock_updated_at = d.at
      from d
      where p.code = d.code::bpchar
    ), ins as (
      insert into purchases (person_id, passport_no, channel, place_ref, place_name, item, packs, masks,
                             amount, currency, purchased_at, purchased_on)
      select person_id, null, 'pharmacy', code, place_name, item, 1, masks, amount, 'TWD', at, day
      from s order by n
      returning id, person_id
    ), au as (
      insert into audit_log (at, actor_kind, actor_id, action, subject, details)
      select s.at, 'pharmacy', s.code, 'pharmacy.sale', 'purchase:' || ins.id,
             jsonb_build_object('personId', s.person_id, 'item', s.item, 'masks', s.masks)
      from ins join s on s.person_id = ins.person_id
      order by s.n
    )
    select ins.id, ins.person_id as "personId" from ins`.execute();
  if (rows.length !== sales.length) throw new Error('sales insert returned a wrong number of rows');
  return new Map(rows.map((r) => [r.personId, r.id]));
}

/** `loadHistory` of many people at once (call it after `lockPersons`). */
export async function loadHistories(db: Db, personIds: readonly number[]): Promise<Map<number, History>> {
  const ids = db.array(personIds.map(String));
  const [onSpot, paid] = await Promise.all([
    db<{ personId: number; day: string }[]>`
      select person_id as "personId", to_char(purchased_on, 'YYYY-MM-DD') as day from purchases
      where person_id = any(${ids}::text[]::int8[])
      order by person_id, purchased_on`.execute(),
    db<{ personId: number; orderId: number; pickupStartsOn: string }[]>`
      select o.person_id as "personId", o.id as "orderId",
             to_char(r.pickup_starts_on, 'YYYY-MM-DD') as "pickupStartsOn"
      from orders o join order_payments op on op.order_id = o.id join rounds r on r.id = o.round_id
      where o.person_id = any(${ids}::text[]::int8[])
      order by o.person_id, r.pickup_starts_on, o.id`.execute(),
  ]);
  const histories = new Map<number, { onSpot: string[]; paidOrders: PaidOrder[] }>(
    personIds.map((id) => [id, { onSpot: [], paidOrders: [] }]),
  );
  for (const r of onSpot) histories.get(r.personId)?.onSpot.push(r.day);
  for (const r of paid) {
    histories.get(r.personId)?.paidOrders.push({ orderId: r.orderId, pickupStartsOn: r.pickupStartsOn });
  }
  return new Map<number, History>(histories);
}
