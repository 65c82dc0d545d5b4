import { PICKUP_SMS_SENDER, PICKUP_SMS_SUMMARY, pickupSerialSms } from '../notifications/messages.js';
import { newMessageReference } from '../notifications/reference.js';
import { type AuditEntry, writeAudits } from '../platform/audit.js';
import { retryOnConflict, type Sql } from '../platform/db.js';
import { AppError } from '../platform/errors.js';
import { batcherFor, MicroBatcher } from '../platform/micro-batch.js';
import { virtualAccount } from '../rules/virtual-account.js';
import { paymentRefusal } from './mark-order-paid.js';
import {
  enqueuePickupSms,
  insertAtmPayments,
  insertSettledNotices,
  type NoticeOrder,
  type NoticeRecord,
  noticesByIds,
  readOrdersForNotices,
  type SettledNotice,
} from './payments.repo.js';
import { newPickupSerial } from './pickup-serial.js';

export type UnmatchedReason =
  | 'unknown_account'
  | 'amount_mismatch'
  | 'outside_payment_window'
  | 'already_paid'
  | 'not_awaiting_payment';

export interface NoticeOutcome {
  noticeId: string;
  matched: boolean;
  orderId: number | null;
  reason: UnmatchedReason | null;
}

/** One validated, authenticated notice, ready to apply. */
export interface PreparedNotice {
  noticeId: string;
  fingerprint: string;
  /** The account as digits only. */
  account: string;
  amount: number;
  transferredAt: Date;
  /** The platform clock when the request arrived. */
  now: Date;
  /** The order the account names (parseVirtualAccount), or null when it is no valid account. */
  orderId: number | null;
}

/** Each request's own answer: its outcome (and whether it paid an order), or its refusal. */
export type NoticeAnswer = { outcome: NoticeOutcome; paid: boolean } | { error: AppError };

function unmatchedReason(code: string): UnmatchedReason {
  if (code === 'ALREADY_PAID') return 'already_paid';
  if (code === 'PAYMENT_CLOSED') return 'outside_payment_window';
  return 'not_awaiting_payment';
}

function replayed(record: NoticeRecord, fingerprint: string): NoticeAnswer {
  if (record.fingerprint !== fingerprint) {
    return {
      error: new AppError('IDEMPOTENCY_KEY_REUSED', 'This notice id was already used for another transfer.'),
    };
  }
  return {
    outcome: {
      noticeId: record.noticeId,
      matched: record.matched === true,
      orderId: record.orderId,
      reason: (record.reason as UnmatchedReason | null) ?? null,
    },
    paid: false,
  };
}

/**
 * Another transaction stored one of the batch's notice ids, or paid one of the orders it was
 * about to pay, meanwhile: start the batch again (it then sees what that transaction did).
 */
class ChangedMeanwhile extends Error {}

/**
 * What a notice does to its order (SPEC §5, [ORD 2, 24.4, 24.5]), decided on the locked order
 * exactly as one notice at a time did: no such selected order → unknown_account; paid →
 * already_paid; outside the window → outside_payment_window; not awaiting payment →
 * not_awaiting_payment; another amount → amount_mismatch; else it pays the order.
 */
function decide(notice: PreparedNotice, order: NoticeOrder | undefined): NoticeOutcome {
  const unknown: NoticeOutcome = {
    noticeId: notice.noticeId,
    matched: false,
    orderId: null,
    reason: 'unknown_account',
  };
  if (!order?.selected || virtualAccount(order.roundId, order.id) !== notice.account) return unknown;
  const refusal = paymentRefusal(order, notice.now);
  if (refusal) return { ...unknown, orderId: order.id, reason: unmatchedReason(refusal.code) };
  if (notice.amount !== order.amount) return { ...unknown, orderId: order.id, reason: 'amount_mismatch' };
  return { ...unknown, matched: true, orderId: order.id, reason: null };
}

/**
 * Applies a batch of notices in ONE transaction, set-based (bench/RESULTS.md (f)): a handful of
 * statements for the whole batch instead of ≈ 10 round trips per notice.
 * 1. The ids already stored are read: a replay gets the first outcome and pays nothing (the same
 *    id with other content is refused); within the batch, a repeated id is answered like a replay
 *    of its first occurrence.
 * 2. The orders that the new notices' accounts name are read, unlocked (payments.repo.ts
 *    `readOrdersForNotices` says why).
 * 3. Each new notice is decided in arrival order on those orders (a second notice for an order
 *    paid by the first is `already_paid`).
 * 4. The new notices are stored with their outcomes in one multi-row insert; if another
 *    transaction stored one of the ids meanwhile, the whole batch is rolled back and started again
 *    (that id is then a replay).
 * 5. One insert writes the orders' payment rows (`order_payments`, no order row is rewritten:
 *    docs/ARCHITECTURE.md#order-lifecycle), each with a fresh random serial; the order id is the key, so if one was paid
 *    since step 2 (a card payment's claim or another batch, waited for and found committed), the
 *    whole batch is rolled back and started again, and then decides `already_paid` — so a notice
 *    and a card payment for one order pay it once. One INSERT … SELECT queues the SMS, one insert
 *    writes the audit rows (`order.paid`, naming the notice that paid).
 * The caller answers only after the commit: durable before the 2xx.
 */
export async function applyNoticeBatch(sql: Sql, items: readonly PreparedNotice[]): Promise<NoticeAnswer[]> {
  return sql.begin(async (tx) => {
    const first = new Map<string, PreparedNotice>();
    for (const item of items) if (!first.has(item.noticeId)) first.set(item.noticeId, item);
    const stored = await noticesByIds(tx, [...first.keys()]);
    const fresh = [...first.values()].filter((n) => !stored.has(n.noticeId));

    const orderIds = [...new Set(fresh.flatMap((n) => (n.orderId === null ? [] : [n.orderId])))].sort(
      (a, b) => a - b,
    );
    const orders = await readOrdersForNotices(tx, orderIds);

    const settled: SettledNotice[] = [];
    const paying: { orderId: number; serial: string; now: Date; order: NoticeOrder }[] = [];
    const audits: (AuditEntry & { at: Date })[] = [];
    for (const notice of fresh) {
      const order = notice.orderId === null ? undefined : orders.get(notice.orderId);
      const outcome = decide(notice, order);
      if (outcome.matched && order) {
        paying.push({ orderId: order.id, serial: '', now: notice.now, order });
        order.state = 'paid';
        audits.push({
          actorKind: 'bank',
          actorId: 'bank',
          action: 'order.paid',
          subject: `order:${order.id}`,
          details: { method: 'atm', amount: order.amount, noticeId: notice.noticeId },
          at: notice.now,
        });
      }
      // The notice itself, matched or not, is recorded by its own append-only row in
      // bank_notices (migrations/functions/append-only.sql), not again in the audit log.
      settled.push({
        noticeId: notice.noticeId,
        fingerprint: notice.fingerprint,
        toAccount: notice.account,
        amount: notice.amount,
        transferredAt: notice.transferredAt,
        receivedAt: notice.now,
        matched: outcome.matched,
        reason: outcome.reason,
        orderId: outcome.orderId,
      });
    }

    const inserted = await insertSettledNotices(tx, settled);
    if (inserted.size !== settled.length) throw new ChangedMeanwhile();

    // Serials are random (unguessable, src/payments/pickup-serial.ts) and unique by constraint:
    // one taken already (about never) also leaves its payment unwritten here, and the batch starts
    // again with new serials.
    const serials = new Set<string>();
    for (const p of paying) {
      let serial = newPickupSerial();
      while (serials.has(serial)) serial = newPickupSerial();
      serials.add(serial);
      p.serial = serial;
    }
    const done = await insertAtmPayments(tx, paying);
    if (done.size !== paying.length) throw new ChangedMeanwhile();
    await enqueuePickupSms(
      tx,
      PICKUP_SMS_SENDER,
      PICKUP_SMS_SUMMARY,
      paying.map((p) => {
        const reference = newMessageReference();
        return {
          orderId: p.orderId,
          now: p.now,
          reference,
          body: pickupSerialSms({
            reference,
            serial: p.serial,
            store: { chain: p.order.storeChain, name: p.order.storeName, address: p.order.storeAddress },
            pickupStartsOn: p.order.pickupStartsOn,
            pickupEndsOn: p.order.pickupEndsOn,
          }),
        };
      }),
    );
    await writeAudits(tx, audits);

    const byId = new Map(settled.map((s) => [s.noticeId, s]));
    return items.map((item): NoticeAnswer => {
      const record = stored.get(item.noticeId);
      if (record) return replayed(record, item.fingerprint);
      const own = byId.get(item.noticeId) as SettledNotice;
      // A repeat of an id within the batch is answered as a replay of its first occurrence.
      if (first.get(item.noticeId) !== item) return replayed(own, item.fingerprint);
      return {
        outcome: {
          noticeId: own.noticeId,
          matched: own.matched,
          orderId: own.orderId,
          reason: own.reason as UnmatchedReason | null,
        },
        paid: own.matched,
      };
    });
  });
}

/** Deadlocks, serialization failures, a serial or notice id taken meanwhile: the batch starts again. */
function applyNoticeBatchRetrying(sql: Sql, items: PreparedNotice[]): Promise<NoticeAnswer[]> {
  return retryOnConflict(() => applyNoticeBatch(sql, items), {
    attempts: 5,
    alsoRetry: (error) =>
      error instanceof ChangedMeanwhile || (error as { code?: unknown } | null)?.code === '23505',
  });
}

const batchers = new WeakMap<Sql, MicroBatcher<PreparedNotice, NoticeAnswer>>();

/**
 * Write coalescing, as for orders (src/orders/orders.repo.ts `submitOrder`): concurrent notices on
 * one pool are gathered into batches of up to 500, at most 4 batches at once, each applied by
 * `applyNoticeBatch` in one transaction. A notice is answered only after its batch has committed;
 * a lone notice on an idle server is applied at once, alone.
 */
export function submitNotice(sql: Sql, notice: PreparedNotice): Promise<NoticeAnswer> {
  return batcherFor(
    batchers,
    sql,
    () =>
      new MicroBatcher((items) => applyNoticeBatchRetrying(sql, items), { maxBatch: 500, maxConcurrent: 4 }),
  ).submit(notice);
}

const bulkBatchers = new WeakMap<Sql, MicroBatcher<PreparedNotice[], NoticeAnswer[]>>();

/**
 * A bank's bulk delivery: the request's notices applied together by `applyNoticeBatch`, in ONE
 * transaction, answered only after its commit. At most 4 such transactions run at once (each holds
 * one pool connection; more would only contend for the two cores); further requests wait their turn.
 */
export function submitNoticeBatch(sql: Sql, notices: PreparedNotice[]): Promise<NoticeAnswer[]> {
  if (notices.length === 0) return Promise.resolve([]);
  return batcherFor(
    bulkBatchers,
    sql,
    () =>
      new MicroBatcher<PreparedNotice[], NoticeAnswer[]>(
        (requests) => Promise.all(requests.map((items) => applyNoticeBatchRetrying(sql, items))),
        { maxBatch: 1, maxConcurrent: 4 },
      ),
  ).submit(notices);
}
