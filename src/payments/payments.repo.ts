import { orderFactsOf, orderSelectedWrittenOut, orderStateWrittenOut } from '../orders/orders.repo.js';
import type { Channel } from '../platform/auth.js';
import type { Db } from '../platform/db.js';
import { enqueueRows } from '../platform/outbox.js';
import type { RoundWindows } from '../rules/rounds.js';

/** An order with what paying it needs: its round's windows and its pickup store. */
export interface PayableOrder extends RoundWindows {
  id: number;
  personId: number;
  roundId: number;
  state: 'registered' | 'not_selected' | 'awaiting_payment' | 'paid' | 'collected';
  channel: Channel;
  amount: number;
  phone: string;
  virtualAccount: string | null;
  storeChain: string;
  storeName: string;
  storeAddress: string;
}

const payableColumns = (db: Db) => db`
  o.id, o.person_id as "personId", o.round_id as "roundId",
  emask_order_state(o.state, o.round_id, o.id) as state, o.channel, o.amount, o.phone,
  emask_order_account(o.virtual_account, o.state, o.round_id, o.id) as "virtualAccount",
  r.registration_opens_at as "registrationOpensAt", r.registration_closes_at as "registrationClosesAt",
  r.payment_opens_at as "paymentOpensAt", r.payment_closes_at as "paymentClosesAt",
  to_char(r.pickup_starts_on, 'YYYY-MM-DD') as "pickupStartsOn",
  to_char(r.pickup_ends_on, 'YYYY-MM-DD') as "pickupEndsOn",
  s.chain as "storeChain", s.name as "storeName", s.address as "storeAddress"`;

export async function payableOrder(db: Db, orderId: number): Promise<PayableOrder | undefined> {
  const rows = await db<PayableOrder[]>`
    select ${payableColumns(db)}
    from orders o join rounds r on r.id = o.round_id join stores s on s.id = o.store_id
    where o.id = ${orderId}`;
  return rows[0];
}

/** The order row locked for the payment (take the person's lock first: persons → orders). */
export async function lockPayableOrder(db: Db, orderId: number): Promise<PayableOrder | undefined> {
  const rows = await db<PayableOrder[]>`
    select ${payableColumns(db)}
    from orders o join rounds r on r.id = o.round_id join stores s on s.id = o.store_id
    where o.id = ${orderId}
    for update of o`;
  return rows[0];
}

/**
 * Claims an order's payment: its payment row with this serial (the order row is not written:
 * docs/ARCHITECTURE.md#order-lifecycle). `paid_meanwhile` when the order has a payment row already — a bank notice paid it
 * since the caller read it: the insert waits for an uncommitted payment of the order and sees it
 * once committed; `serial_taken` (about never) when the serial is another order's.
 */
export async function insertOrderPayment(
  db: Db,
  p: { orderId: number; method: 'atm' | 'card'; serial: string; now: Date },
): Promise<'inserted' | 'paid_meanwhile' | 'serial_taken'> {
  const inserted = await db`
    insert into order_payments (order_id, pickup_serial, method, paid_at)
    values (${p.orderId}, ${p.serial}, ${p.method}, ${p.now})
    on conflict do nothing
    returning order_id`;
  if (inserted.length > 0) return 'inserted';
  const paid = await db`select 1 from order_payments where order_id = ${p.orderId}`;
  return paid.length > 0 ? 'paid_meanwhile' : 'serial_taken';
}

export interface NoticeRecord {
  noticeId: string;
  fingerprint: string;
  matched: boolean | null;
  reason: string | null;
  orderId: number | null;
}

/** The notices of these ids already stored (committed), by id. */
export async function noticesByIds(db: Db, noticeIds: readonly string[]): Promise<Map<string, NoticeRecord>> {
  if (noticeIds.length === 0) return new Map();
  const rows = await db<NoticeRecord[]>`
    select notice_id as "noticeId", fingerprint, matched, reason, order_id as "orderId"
    from bank_notices where notice_id = any(${db.array([...noticeIds])}::text[])`;
  return new Map(rows.map((r) => [r.noticeId, r]));
}

/**
 * The orders of these ids with what paying them needs, WITHOUT locking them (a row lock is one
 * more tuple write and WAL record per notice, bench/RESULTS.md (f)): the payment itself is
 * `insertAtmPayments`, whose key (the order id) makes it once per order; a notice batch whose
 * decision no longer holds (a card payment or another batch paid the order meanwhile) starts
 * again (notice-batch.ts).
 * Orders that do not exist are absent. The person rows are not locked either: paying decides on
 * the order row alone (state, window, amount) and reads nothing a sale writes.
 */
export async function readOrdersForNotices(
  db: Db,
  orderIds: readonly number[],
): Promise<Map<number, NoticeOrder>> {
  if (orderIds.length === 0) return new Map();
  const ids = db.array(orderIds.map(String));
  // The derived state written out (src/orders/orders.repo.ts `orderStateWrittenOut`) rather than
  // emask_order_state called: the function runs its own statement per row, about four times the
  // cost of these two probes. src/orders/order-state-agrees.test.ts proves the two agree.
  const rows = await db<NoticeOrder[]>`
    select o.id, o.person_id as "personId", o.round_id as "roundId",
           ${orderStateWrittenOut(db)} as state,
           o.amount,
           ${orderSelectedWrittenOut(db)} as selected,
           r.registration_opens_at as "registrationOpensAt", r.registration_closes_at as "registrationClosesAt",
           r.payment_opens_at as "paymentOpensAt", r.payment_closes_at as "paymentClosesAt",
           to_char(r.pickup_starts_on, 'YYYY-MM-DD') as "pickupStartsOn",
           to_char(r.pickup_ends_on, 'YYYY-MM-DD') as "pickupEndsOn",
           s.chain as "storeChain", s.name as "storeName", s.address as "storeAddress"
    from orders o join rounds r on r.id = o.round_id join stores s on s.id = o.store_id
      cross join lateral ${orderFactsOf(db)} x
    where o.id = any(${ids}::text[]::int8[])`;
  return new Map(rows.map((r) => [r.id, r]));
}

/** An order as a bank notice sees it (no personal data: the SMS recipient is copied in SQL). */
export interface NoticeOrder extends Omit<PayableOrder, 'phone' | 'channel' | 'virtualAccount'> {
  /** A winner of its round's draw (or stored as selected): it has a personal virtual account. */
  selected: boolean;
}

export interface SettledNotice {
  noticeId: string;
  fingerprint: string;
  toAccount: string;
  amount: number;
  transferredAt: Date;
  receivedAt: Date;
  matched: boolean;
  reason: string | null;
  orderId: number | null;
}

/**
 * Stores notices with their outcome, in one statement, in notice-id order (so that concurrent
 * batches wait on each other's ids in one order). Returns the ids actually inserted: an id
 * missing was stored meanwhile by another transaction (the caller starts again).
 */
export async function insertSettledNotices(db: Db, notices: readonly SettledNotice[]): Promise<Set<string>> {
  if (notices.length === 0) return new Set();
  const col = (f: (n: SettledNotice) => string | number | boolean | null) =>
    db.array(
      notices.map((n) => {
        const value = f(n);
        return value === null ? null : String(value);
      }) as string[],
    );
  const rows = await db<{ notice_id: string }[]>`
    insert into bank_notices (notice_id, fingerprint, to_account, amount, transferred_at, received_at,
                              matched, reason, order_id)
    select * from unnest(${col((n) => n.noticeId)}::text[], ${col((n) => n.fingerprint)}::text[],
                         ${col((n) => n.toAccount)}::text[], ${col((n) => n.amount)}::text[]::int4[],
                         ${col((n) => n.transferredAt.toISOString())}::text[]::timestamptz[],
                         ${col((n) => n.receivedAt.toISOString())}::text[]::timestamptz[],
                         ${col((n) => n.matched)}::text[]::bool[], ${col((n) => n.reason)}::text[],
                         ${col((n) => n.orderId)}::text[]::int8[])
    order by 1
    on conflict (notice_id) do nothing
    returning notice_id`;
  return new Set(rows.map((r) => r.notice_id));
}

/**
 * Records ATM payments of orders in one statement, each with its serial (payment rows, the order
 * rows are not written: docs/ARCHITECTURE.md#order-lifecycle); returns the ids paid. An id missing was paid meanwhile
 * (its key taken by a card payment or another batch, waited for and found committed) or, about
 * never, drew a serial already taken. Only for orders `readOrdersForNotices` returned as selected
 * and awaiting payment: selection never changes after the draw (`draw_winners`) and a payment row
 * is never removed, so the key is the whole re-check.
 */
export async function insertAtmPayments(
  db: Db,
  paid: readonly { orderId: number; serial: string; now: Date }[],
): Promise<Set<number>> {
  if (paid.length === 0) return new Set();
  const rows = await db<{ order_id: number }[]>`
    insert into order_payments (order_id, pickup_serial, method, paid_at)
    select v.id, v.serial, 'atm', v.now
    from unnest(${db.array(paid.map((p) => String(p.orderId)))}::text[]::int8[],
                ${db.array(paid.map((p) => p.serial))}::text[],
                ${db.array(paid.map((p) => p.now.toISOString()))}::text[]::timestamptz[]) as v (id, serial, now)
    order by v.id
    on conflict do nothing
    returning order_id`;
  return new Set(rows.map((r) => Number(r.order_id)));
}

/**
 * The pickup-serial SMS of each paid order into the outbox, in one statement (the outbox's insert
 * is src/platform/outbox.ts `enqueueRows`; these are its rows). The recipient is copied in SQL
 * from `orders.phone` (as the draw copies `orders.email`): sealed or not, the value is copied as
 * it is stored. `dedupe_key` = pickup-serial:<order id>, as markOrderPaid's; each message has
 * its own reference (in its body, and unique in `outbox.reference`).
 */
export async function enqueuePickupSms(
  db: Db,
  sender: string,
  summary: string,
  messages: readonly { orderId: number; body: string; reference: string; now: Date }[],
): Promise<void> {
  if (messages.length === 0) return;
  await enqueueRows(
    db,
    db`
    select 'sms', o.phone, ${sender}, null, v.body, v.reference, ${summary}, 'pickup-serial:' || o.id, v.now, v.now
    from unnest(${db.array(messages.map((m) => String(m.orderId)))}::text[]::int8[],
                ${db.array(messages.map((m) => m.body))}::text[],
                ${db.array(messages.map((m) => m.reference))}::text[],
                ${db.array(messages.map((m) => m.now.toISOString()))}::text[]::timestamptz[])
      as v (id, body, reference, now)
      join orders o on o.id = v.id
    order by o.id`,
  );
}

export async function insertCardPayment(
  db: Db,
  p: { orderId: number; amount: number; brand: string; last4: string; authorizationId: string; now: Date },
): Promise<void> {
  await db`
    insert into card_payments (order_id, amount, card_brand, card_last4, authorization_id, paid_at)
    values (${p.orderId}, ${p.amount}, ${p.brand}, ${p.last4}, ${p.authorizationId}, ${p.now})`;
}
