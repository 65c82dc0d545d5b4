import { PICKUP_SMS_SENDER, PICKUP_SMS_SUMMARY, pickupSerialSms } from '../notifications/messages.js';
import { newMessageReference } from '../notifications/reference.js';
import { type AuditEntry, writeAudit } from '../platform/audit.js';
import type { Db } from '../platform/db.js';
import { AppError } from '../platform/errors.js';
import { enqueueWithReference } from '../platform/outbox.js';
import { inPayment, type RoundWindows } from '../rules/rounds.js';
import { toTaipeiIso } from '../rules/taipei-date.js';
import { insertOrderPayment, type PayableOrder } from './payments.repo.js';
import { newPickupSerial } from './pickup-serial.js';

/**
 * Why an order cannot be paid now, or null when it can (SPEC §5, [ORD 24.4]): a paid order is
 * not paid twice; only a selected order is paid, and only inside the payment window (after it
 * the order is forfeited_unpaid: no late payment).
 */
export function paymentRefusal(
  order: Pick<PayableOrder, 'state'> & RoundWindows,
  now: Date,
): AppError | null {
  if (order.state === 'paid' || order.state === 'collected') {
    return new AppError('ALREADY_PAID', 'This order is already paid.');
  }
  if (!inPayment(order, now)) {
    const before = now < order.paymentOpensAt;
    return new AppError(
      'PAYMENT_CLOSED',
      before
        ? 'The payment window has not opened yet.'
        : 'The payment window has closed; an unpaid order is given up and cannot be paid late.',
      {
        paymentOpensAt: toTaipeiIso(order.paymentOpensAt),
        paymentClosesAt: toTaipeiIso(order.paymentClosesAt),
      },
    );
  }
  if (order.state !== 'awaiting_payment') {
    return new AppError('NOT_AWAITING_PAYMENT', 'Only a selected order awaiting payment can be paid.', {
      status: order.state === 'registered' ? 'registered' : 'not_selected',
    });
  }
  return null;
}

/**
 * Claims the payment of a locked, payable order, BEFORE the money is taken: its payment row with a
 * new unique pickup serial (API.md: the serial exists from the moment payment is confirmed), in
 * the caller's transaction. A bank notice for the same order then waits on the row's key until
 * that transaction ends, and finds the order paid if it commits; a decline rolls the claim back.
 * An order a bank notice paid since the caller read it → 409 ALREADY_PAID.
 */
export async function claimPayment(
  tx: Db,
  orderId: number,
  method: 'atm' | 'card',
  now: Date,
): Promise<string> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const serial = newPickupSerial();
    const claimed = await insertOrderPayment(tx, { orderId, method, serial, now });
    if (claimed === 'inserted') return serial;
    if (claimed === 'paid_meanwhile') throw new AppError('ALREADY_PAID', 'This order is already paid.');
  }
  throw new Error(`order ${orderId} drew five taken pickup serials`);
}

/**
 * What follows a claimed payment once the money is taken, in the caller's transaction: the SMS
 * with the pickup serial from the official sender [ORD 24.3] and its own reference (查證碼) into
 * the outbox, and the audit row.
 */
export async function announcePayment(
  tx: Db,
  order: PayableOrder,
  payment: { method: 'atm' | 'card'; serial: string; now: Date },
  actor: Pick<AuditEntry, 'actorKind' | 'actorId'>,
): Promise<void> {
  await enqueueWithReference(
    tx,
    (reference) => ({
      channel: 'sms',
      to: order.phone,
      from: PICKUP_SMS_SENDER,
      reference,
      summary: PICKUP_SMS_SUMMARY,
      body: pickupSerialSms({
        reference,
        serial: payment.serial,
        store: { chain: order.storeChain, name: order.storeName, address: order.storeAddress },
        pickupStartsOn: order.pickupStartsOn,
        pickupEndsOn: order.pickupEndsOn,
      }),
      dedupeKey: `pickup-serial:${order.id}`,
    }),
    payment.now,
    newMessageReference,
  );
  await writeAudit(
    tx,
    {
      ...actor,
      action: 'order.paid',
      subject: `order:${order.id}`,
      details: { method: payment.method, amount: order.amount },
    },
    payment.now,
  );
}
