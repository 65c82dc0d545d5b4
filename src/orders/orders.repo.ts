import type { Channel } from '../platform/auth.js';
import { type Db, retryOnConflict, type Sql } from '../platform/db.js';
import { batcherFor, MicroBatcher } from '../platform/micro-batch.js';
import { sameSecret } from '../platform/secrets.js';
import type { Vault } from '../platform/vault.js';
import { storeRef } from '../stores/stores.repo.js';
import type { StoredOrderState } from './order-status.js';

export interface UpsertOrderInput {
  roundId: number;
  personId: number;
  storeId: number;
  /** Sealed (src/platform/vault.ts). */
  phone: string;
  /** Sealed. */
  email: string;
  channel: Channel;
  /** Used only when the programme_settings row is missing. */
  defaultAmount: number;
  now: Date;
}

export interface UpsertOrderResult {
  /** null: no such round. */
  roundOpen: boolean | null;
  registrationOpensAt: Date | null;
  registrationClosesAt: Date | null;
  /** null: no such store. */
  storeOpen: boolean | null;
  /** null: nothing was written. */
  id: number | null;
  state: StoredOrderState | null;
  amount: number | null;
}

/**
 * The ordering hot path: many submissions in ONE statement (one round trip, one commit; see
 * `submitOrder` below for how they are gathered). Checks each submission's registration window
 * and store, and inserts or replaces each person's order for the round.
 *
 * - The rounds are read FOR KEY SHARE. The draw holds its round FOR UPDATE and sets `drawn_at`,
 *   so a batch that waits on that lock re-reads the row and refuses its submissions: nothing
 *   lands after the draw.
 * - Submissions of the same person for the same round in one batch collapse to the last one (the
 *   last submission stands, SPEC §5, [ORD 1.2, 12]); only submissions that pass their own checks
 *   take part. Every submission still gets its own answer: the order id is the person's one order.
 * - `on conflict (round_id, person_id) do update`: a re-submission keeps its order id; two
 *   submissions at once (in one batch or two) leave one order. Rows are written in
 *   (round_id, person_id) order so that concurrent batches take row locks in the same order.
 * - The amount mirrors `onlineOrderAmount(programme)` of src/rules/programme.ts on the
 *   programme_settings row (adult pack + logistics fee, NT$22 by default; child cards too [ORD 1]).
 */
export async function upsertOrders(
  db: Db,
  inputs: readonly UpsertOrderInput[],
): Promise<UpsertOrderResult[]> {
  const col = <T>(f: (o: UpsertOrderInput) => T) => db.array(inputs.map((o) => String(f(o))));
  const defaultAmount = inputs[0]?.defaultAmount ?? 0;
  const rows = await db<(UpsertOrderResult & { n: number })[]>`
    with i as (
      select * from unnest(${col((o) => o.roundId)}::text[]::int8[], ${col((o) => o.personId)}::text[]::int8[],
                           ${col((o) => o.storeId)}::text[]::int8[], ${col((o) => o.phone)}::text[],
                           ${col((o) => o.email)}::text[], ${col((o) => o.channel)}::text[],
                           ${col((o) => o.now.toISOString())}::text[]::timestamptz[])
        with ordinality as t (round_id, person_id, store_id, phone, email, channel, now, n)
    ), r as (
      select id, registration_opens_at, registration_closes_at, drawn_at
      from rounds where id in (select round_id from i)
      order by id
      for key share
    ), s as (
      select id, closed_at is null as open from stores where id in (select store_id from i)
    ), v as (
      select i.*, r.registration_opens_at, r.registration_closes_at,
             r.drawn_at is null and r.registration_opens_at <= i.now and i.now < r.registration_closes_at
               as round_open,
             s.open as store_open
      from i left join r on r.id = i.round_id left join s on s.id = i.store_id
    ), last as (
      select distinct on (round_id, person_id) * from v
      where round_open and store_open
      order by round_id, person_id, n desc
    ), up as (
      insert into orders (round_id, person_id, store_id, phone, email, channel, amount, submitted_at, updated_at)
      select round_id, person_id, store_id, phone, email, channel,
             coalesce((select adult_pack_size * unit_price + online_fee from programme_settings where id = 1),
                      ${defaultAmount}),
             now, now
      from last
      order by round_id, person_id
      on conflict (round_id, person_id) do update
        set store_id = excluded.store_id, phone = excluded.phone, email = excluded.email,
            channel = excluded.channel, amount = excluded.amount,
            submitted_at = excluded.submitted_at, updated_at = excluded.updated_at
        where orders.state = 'registered'
      returning id, round_id, person_id, state, amount
    )
    select v.n::int as n, v.round_open as "roundOpen",
           v.registration_opens_at as "registrationOpensAt",
           v.registration_closes_at as "registrationClosesAt",
           v.store_open as "storeOpen", up.id, up.state, up.amount
    from v left join up on up.round_id = v.round_id and up.person_id = v.person_id
    order by v.n`;
  if (rows.length !== inputs.length) throw new Error('order upsert returned a wrong number of rows');
  return rows.map(({ n: _n, ...row }) => row);
}

/** Deadlocks and serialization failures between batches: the whole batch is retried. */
function upsertOrdersRetrying(db: Db, inputs: UpsertOrderInput[]): Promise<UpsertOrderResult[]> {
  return retryOnConflict(() => upsertOrders(db, inputs), { attempts: 3 });
}

const batchers = new WeakMap<Sql, MicroBatcher<UpsertOrderInput, UpsertOrderResult>>();

/**
 * Write coalescing (group commit in the application, bench/RESULTS.md): concurrent submissions
 * on one pool are gathered into batches of up to 500 and written by `upsertOrders`, at most 4
 * batches at once. A submission answers only after its batch has committed (durable before the
 * 2xx); a lone submission on an idle server is written at once, alone.
 */
export function submitOrder(sql: Sql, input: UpsertOrderInput): Promise<UpsertOrderResult> {
  return batcherFor(
    batchers,
    sql,
    () => new MicroBatcher((items) => upsertOrdersRetrying(sql, items), { maxBatch: 500, maxConcurrent: 4 }),
  ).submit(input);
}

/** An order with what a person sees of its round and store. */
export interface OrderDetailRow {
  id: number;
  roundId: number;
  roundName: string;
  state: StoredOrderState;
  amount: number;
  virtualAccount: string | null;
  pickupSerial: string | null;
  paymentOpensAt: Date;
  paymentClosesAt: Date;
  pickupStartsOn: string;
  pickupEndsOn: string;
  roundDrawn: boolean;
  storeId: number;
  storeChain: string;
  storeNo: string;
  storeName: string;
  storeAddress: string;
  /** How the order was placed (web or app): card payment is for web orders only. */
  channel: Channel;
}

const detailColumns = (db: Db) => db`
  o.id, o.round_id as "roundId", r.name as "roundName", emask_order_state(o.state, o.round_id, o.id) as state,
  o.amount, emask_order_account(o.virtual_account, o.state, o.round_id, o.id) as "virtualAccount",
  (select op.pickup_serial from order_payments op where op.order_id = o.id) as "pickupSerial",
  r.payment_opens_at as "paymentOpensAt", r.payment_closes_at as "paymentClosesAt",
  to_char(r.pickup_starts_on, 'YYYY-MM-DD') as "pickupStartsOn",
  to_char(r.pickup_ends_on, 'YYYY-MM-DD') as "pickupEndsOn",
  r.drawn_at is not null as "roundDrawn",
  s.id as "storeId", s.chain as "storeChain", s.store_no as "storeNo", s.name as "storeName",
  s.address as "storeAddress", o.channel`;

/** Every order of a person, oldest round first. */
export async function ordersOfPerson(db: Db, personId: number): Promise<OrderDetailRow[]> {
  return db<OrderDetailRow[]>`
    select ${detailColumns(db)}
    from orders o join rounds r on r.id = o.round_id join stores s on s.id = o.store_id
    where o.person_id = ${personId}
    order by r.registration_opens_at, o.id`;
}

/**
 * The orders of the person with this national ID whose mobile number ends in `phoneLast3`
 * (the public order query of [ORD 14.1]); empty for a wrong pair. The person is found by the
 * blind index of the ID; the phones are sealed, so the last digits are compared once opened.
 */
export async function ordersByIdentity(
  db: Db,
  vault: Vault,
  nationalId: string,
  phoneLast3: string,
): Promise<OrderDetailRow[]> {
  const rows = await db<(OrderDetailRow & { phone: string })[]>`
    select ${detailColumns(db)}, o.phone
    from persons p join orders o on o.person_id = p.id
      join rounds r on r.id = o.round_id join stores s on s.id = o.store_id
    where p.national_id_index = ${vault.index('national_id', nationalId)}
    order by r.registration_opens_at, o.id`;
  return rows
    .filter((row) => sameSecret(vault.open('phone', row.phone).slice(-3), phoneLast3))
    .map(({ phone: _phone, ...row }) => row);
}

/**
 * The facts `emask_order_state` probes (migrations/functions/order-state.sql), as a lateral row
 * over `o` (the orders row): `paid` (it has an `order_payments` row) and `won` (a `draw_winners`
 * row of its round). With `orderStateWrittenOut` and `orderSelectedWrittenOut`, the derivation
 * written out for the bank-notice batch (readOrdersForNotices in src/payments/payments.repo.ts),
 * where calling the function costs about four times these two probes. The three are proved to
 * agree with the SQL functions and with `orderState` of order-status.ts by
 * src/orders/order-state-agrees.test.ts.
 */
export const orderFactsOf = (db: Db) => db`(
        select coalesce((select true from order_payments p where p.order_id = o.id), false) as paid,
               coalesce((select true from draw_winners w where w.round_id = o.round_id and w.order_id = o.id),
                        false) as won
      )`;

/** `emask_order_state(o.state, o.round_id, o.id)` over `o` and `x` = `orderFactsOf` (see there). */
export const orderStateWrittenOut = (db: Db) => db`case when o.state = 'collected' then o.state
                when x.paid then 'paid'
                when o.state = 'registered' and x.won then 'awaiting_payment'
                else o.state end`;

/**
 * `emask_order_account(…) is not null` over `o` and `x` = `orderFactsOf`: the order has a personal
 * virtual account (a winner of its round, or stored as selected before `draw_winners` existed).
 */
export const orderSelectedWrittenOut = (db: Db) =>
  db`(o.virtual_account is not null or o.state in ('awaiting_payment', 'collected') or x.won)`;

/**
 * Close-store's move (SPEC §5, [ORD 24.10]): the orders of a closing store that are not yet
 * collected go to another store. Returns how many moved.
 */
export async function moveOpenOrders(
  db: Db,
  fromStoreId: number,
  toStoreId: number,
  now: Date,
): Promise<number> {
  const moved = await db`update orders set store_id = ${toStoreId}, updated_at = ${now}
      where store_id = ${fromStoreId} and state <> 'collected'`;
  return moved.count;
}

/**
 * paid → collected, conditionally: of two clerks handing over one order, one succeeds. Paid is
 * derived from the payment row (migrations/functions/order-state.sql); collected is stored on the
 * order (docs/ARCHITECTURE.md#order-lifecycle).
 */
export async function markCollected(db: Db, orderId: number, now: Date): Promise<boolean> {
  const rows = await db`update orders set state = 'collected', collected_at = ${now}, updated_at = ${now}
    where id = ${orderId} and emask_order_state(state, round_id, id) = 'paid' returning id`;
  return rows.length > 0;
}

export function storeOfOrder(row: OrderDetailRow) {
  return storeRef({
    id: row.storeId,
    chain: row.storeChain,
    store_no: row.storeNo,
    name: row.storeName,
    address: row.storeAddress,
  });
}
