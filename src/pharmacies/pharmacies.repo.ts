import type { IssuedChallenge } from '../identity/challenges.js';
import type { Db } from '../platform/db.js';
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
// Coalesced sales (bench/RESULTS.md (b)): the statements of sell-at-pharmacy.ts, each for a whole
// batch of concurrent sales. One statement serves every sale of the batch; the rules are still
// decided per sale, under the same row locks as one sale at a time.

/** What a sale needs to know before it may go on: its card, its challenge, its Idempotency-Key. */
export interface PresenceQuery {
  cardNo: string;
  /** The id of a challenge the platform issued and that is valid now (`issuedChallenge`), or null. */
  challengeId: string | null;
  /** Idempotency scope and key; empty strings when the request has no key. */
  scope: string;
  key: string;
  now: Date;
}

export interface PresenceRow {
  /** Null: no valid card with this number. */
  personId: number | null;
  publicKeyPem: string | null;
  birthDate: string | null;
  /**
   * The national ID as maskId() prints it (first 2 + stars + last 4): the weekday rule needs only
   * its last digit. Null for a row not (yet) given one (see sell-at-pharmacy.ts `idForWeekday`).
   */
  idMasked: string | null;
  /** The challenge was used already (its id is in `challenges`). */
  challengeUsed: boolean;
  /** The Idempotency-Key's committed record, if any. */
  keyFingerprint: string | null;
  keyStatus: number | null;
  keyBody: unknown;
}

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * Card, challenge and idempotency record of many sales in ONE read (one snapshot per batch, so a
 * sale that committed is seen with its key recorded AND its challenge used, never half of it).
 */
export async function readPresences(db: Db, queries: readonly PresenceQuery[]): Promise<PresenceRow[]> {
  const col = (f: (q: PresenceQuery) => string) => db.array(queries.map(f));
  const rows = await db<(PresenceRow & { n: number })[]>`
    select i.n::int as n, c.person_id as "personId", c.public_key_pem as "publicKeyPem",
           to_char(p.birth_date, 'YYYY-MM-DD') as "birthDate",
           p.national_id_masked as "idMasked",
           ch.id is not null as "challengeUsed",
           k.fingerprint as "keyFingerprint", k.status as "keyStatus", k.body as "keyBody"
    from unnest(${col((q) => q.cardNo)}::text[], ${col((q) => q.challengeId ?? NIL_UUID)}::text[]::uuid[],
                ${col((q) => q.scope)}::text[], ${col((q) => q.key)}::text[])
           with ordinality as i (card_no, challenge_id, scope, key, n)
      left join cards c on c.card_no = i.card_no::bpchar and c.revoked_at is null
      left join persons p on p.id = c.person_id
      left join challenges ch on ch.id = i.challenge_id
      left join idempotency_keys k on i.key <> '' and k.scope = i.scope and k.key = i.key
    order by i.n`;
  if (rows.length !== queries.length) throw new Error('presence read returned a wrong number of rows');
  return rows.map(({ n: _n, ...row }) => row);
}

export interface KeyRef {
  scope: string;
  key: string;
  fingerprint: string;
  now: Date;
}

/**
 * Claims Idempotency-Keys (in (scope, key) order, so concurrent batches never wait on each other
 * in opposite orders). A key another transaction holds is waited for, then not claimed.
 * Returns the claimed keys as `scope\nkey`.
 */
export async function claimKeys(db: Db, keys: readonly KeyRef[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const col = (f: (k: KeyRef) => string) => db.array(keys.map(f));
  const rows = await db<{ scope: string; key: string }[]>`
    insert into idempotency_keys (scope, key, fingerprint, created_at)
    select scope, key, fingerprint, now
    from unnest(${col((k) => k.scope)}::text[], ${col((k) => k.key)}::text[], ${col((k) => k.fingerprint)}::text[],
                ${col((k) => k.now.toISOString())}::text[]::timestamptz[]) as t (scope, key, fingerprint, now)
    order by scope, key
    on conflict (scope, key) do nothing
    returning scope, key`.execute();
  return new Set(rows.map((r) => `${r.scope}\n${r.key}`));
}

export interface KeyRecord {
  scope: string;
  key: string;
  fingerprint: string;
  status: number | null;
  body: unknown;
}

/** The records of keys another transaction claimed (read after waiting for it, in a new snapshot). */
export async function keyRecords(
  db: Db,
  keys: readonly { scope: string; key: string }[],
): Promise<KeyRecord[]> {
  if (keys.length === 0) return [];
  return db<KeyRecord[]>`
    select k.scope, k.key, k.fingerprint, k.status, k.body
    from unnest(${db.array(keys.map((k) => k.scope))}::text[], ${db.array(keys.map((k) => k.key))}::text[]) as t (scope, key)
      join idempotency_keys k on k.scope = t.scope and k.key = t.key`.execute();
}

/** Stores the outcomes of claimed keys and gives back the claims of sales that record nothing. */
export async function settleKeys(
  db: Db,
  outcomes: readonly { scope: string; key: string; status: number; body: unknown }[],
  released: readonly { scope: string; key: string }[],
): Promise<void> {
  const work: Promise<unknown>[] = [];
  if (outcomes.length > 0) {
    const col = (f: (o: (typeof outcomes)[number]) => string) => db.array(outcomes.map(f));
    work.push(
      db`
      update idempotency_keys k set status = t.status, body = t.body
      from unnest(${col((o) => o.scope)}::text[], ${col((o) => o.key)}::text[], ${col((o) => String(o.status))}::text[]::int[],
                  ${col((o) => JSON.stringify(o.body))}::text[]::jsonb[]) as t (scope, key, status, body)
      where k.scope = t.scope and k.key = t.key`.execute(),
    );
  }
  if (released.length > 0) {
    work.push(
      db`
      delete from idempotency_keys k
      using unnest(${db.array(released.map((r) => r.scope))}::text[], ${db.array(released.map((r) => r.key))}::text[]) as t (scope, key)
      where k.scope = t.scope and k.key = t.key`.execute(),
    );
  }
  await Promise.all(work);
}

export interface ConsumeQuery {
  cardNo: string;
  /** The PEM the signature was verified with: the card must still be valid with THIS key. */
  publicKeyPem: string;
  /** The challenge as issued (src/identity/challenges.ts `issuedChallenge`), valid at `now`. */
  challenge: IssuedChallenge;
  now: Date;
}

/**
 * For each sale: is its card still valid with the key its signature was verified with, and, only
 * if so, its challenge used up now (its id inserted, `on conflict do nothing`: of two sales with
 * one challenge exactly one inserts it, src/identity/challenges.ts). Returns, per query, `card`
 * (still valid) and `used` (this sale used the challenge).
 */
export async function spendChallenges(
  db: Db,
  queries: readonly ConsumeQuery[],
): Promise<{ card: boolean; used: boolean }[]> {
  const col = (f: (q: ConsumeQuery) => string) => db.array(queries.map(f));
  const rows = await db<{ n: number; card: boolean; used: boolean }[]>`
    with i as (
      select * from unnest(${col((q) => q.cardNo)}::text[], ${col((q) => q.publicKeyPem)}::text[],
                           ${col((q) => q.challenge.challengeId)}::text[]::uuid[],
                           ${col((q) => q.challenge.nonce)}::text[],
                           ${col((q) => q.challenge.createdAt.toISOString())}::text[]::timestamptz[],
                           ${col((q) => q.challenge.expiresAt.toISOString())}::text[]::timestamptz[],
                           ${col((q) => q.now.toISOString())}::text[]::timestamptz[])
        with ordinality as t (card_no, pem, challenge_id, nonce, created_at, expires_at, now, n)
    ), v as (
      select i.* from i
      join cards c on c.card_no = i.card_no::bpchar and c.revoked_at is null and c.public_key_pem = i.pem
    ), first as (
      select distinct on (challenge_id) * from v order by challenge_id, n
    ), u as (
      insert into challenges (id, nonce, created_at, expires_at, used_at)
      select challenge_id, nonce, created_at, expires_at, now from first
      on conflict (id) do nothing
      returning id
    )
    select i.n::int as n, v.n is not null as card,
           exists (select 1 from u join first f on f.challenge_id = u.id where f.n = i.n) as used
    from i left join v on v.n = i.n
    order by i.n`.execute();
  if (rows.length !== queries.length) throw new Error('challenge use returned a wrong number of rows');
  return rows.map((r) => ({ card: r.card, used: r.used }));
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
