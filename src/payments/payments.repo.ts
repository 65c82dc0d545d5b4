import type { Channel } from '../platform/auth.js';
import type { Db } from '../platform/db.js';
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
  o.id, o.person_id as "personId", o.round_id as "roundId", o.state, o.channel, o.amount, o.phone,
  o.virtual_account as "virtualAccount",
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

/** Which order a virtual account belongs to (the draw assigned it). */
export async function orderByVirtualAccount(
  db: Db,
  account: string,
): Promise<{ id: number; personId: number } | undefined> {
  const rows = await db<{ id: number; personId: number }[]>`
    select id, person_id as "personId" from orders where virtual_account = ${account}`;
  return rows[0];
}

/** Sets paid state and the serial; false when the serial is taken (retry with another). */
export async function setOrderPaid(
  db: Db,
  p: { orderId: number; method: 'atm' | 'card'; serial: string; now: Date },
): Promise<boolean> {
  const rows = await db`
    update orders set state = 'paid', paid_at = ${p.now}, payment_method = ${p.method},
                      pickup_serial = ${p.serial}, updated_at = ${p.now}
    where id = ${p.orderId} and state = 'awaiting_payment'
      and not exists (select 1 from orders other where other.pickup_serial = ${p.serial})
    returning id`;
  return rows.length > 0;
}

export interface NoticeRecord {
  noticeId: string;
  fingerprint: string;
  matched: boolean | null;
  reason: string | null;
  orderId: number | null;
}

/**
 * Claims a notice id: the insert waits on the primary key while another transaction applies the
 * same notice, then finds it. Returns the stored record when the notice was seen before.
 */
export async function claimNotice(
  db: Db,
  n: {
    noticeId: string;
    fingerprint: string;
    toAccount: string;
    amount: number;
    transferredAt: Date;
    receivedAt: Date;
  },
): Promise<NoticeRecord | null> {
  const inserted = await db`
    insert into bank_notices (notice_id, fingerprint, to_account, amount, transferred_at, received_at)
    values (${n.noticeId}, ${n.fingerprint}, ${n.toAccount}, ${n.amount}, ${n.transferredAt}, ${n.receivedAt})
    on conflict (notice_id) do nothing
    returning notice_id`;
  if (inserted.length > 0) return null;
  const rows = await db<NoticeRecord[]>`
    select notice_id as "noticeId", fingerprint, matched, reason, order_id as "orderId"
    from bank_notices where notice_id = ${n.noticeId}`;
  const row = rows[0];
  if (!row) throw new Error('bank notice vanished');
  return row;
}

export async function settleNotice(
  db: Db,
  n: { noticeId: string; matched: boolean; reason: string | null; orderId: number | null },
): Promise<void> {
  await db`update bank_notices set matched = ${n.matched}, reason = ${n.reason}, order_id = ${n.orderId}
    where notice_id = ${n.noticeId}`;
}

export async function insertCardPayment(
  db: Db,
  p: { orderId: number; amount: number; brand: string; last4: string; authorizationId: string; now: Date },
): Promise<void> {
  await db`
    insert into card_payments (order_id, amount, card_brand, card_last4, authorization_id, paid_at)
    values (${p.orderId}, ${p.amount}, ${p.brand}, ${p.last4}, ${p.authorizationId}, ${p.now})`;
}
