import { PICKUP_SMS_SENDER, pickupSerialSms } from '../notifications/messages.js';
import { type AuditEntry, writeAudit } from '../platform/audit.js';
import type { Db } from '../platform/db.js';
import { AppError } from '../platform/errors.js';
import { enqueueMessage } from '../platform/outbox.js';
import { inPayment, type RoundWindows } from '../rules/rounds.js';
import { toTaipeiIso } from '../rules/taipei-date.js';
import { type PayableOrder, setOrderPaid } from './payments.repo.js';
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
 * Marks a locked, payable order paid (API.md: the pickup serial exists from the moment payment
 * is confirmed, and the SMS carrying it is sent then): state, paid_at, method, a new unique
 * pickup serial, the SMS from the official sender [ORD 24.3] into the outbox, and the audit row,
 * all in the caller's transaction. The caller holds the person and order locks.
 */
export async function markOrderPaid(
  tx: Db,
  order: PayableOrder,
  method: 'atm' | 'card',
  now: Date,
  actor: Pick<AuditEntry, 'actorKind' | 'actorId'>,
): Promise<{ pickupSerial: string; paidAt: Date }> {
  let serial: string | undefined;
  for (let attempt = 0; attempt < 5 && !serial; attempt++) {
    const candidate = newPickupSerial();
    if (await setOrderPaid(tx, { orderId: order.id, method, serial: candidate, now })) serial = candidate;
  }
  if (!serial) throw new Error(`order ${order.id} could not be marked paid`);
  await enqueueMessage(
    tx,
    {
      channel: 'sms',
      to: order.phone,
      from: PICKUP_SMS_SENDER,
      body: pickupSerialSms({
        serial,
        store: { chain: order.storeChain, name: order.storeName, address: order.storeAddress },
        pickupStartsOn: order.pickupStartsOn,
        pickupEndsOn: order.pickupEndsOn,
      }),
      dedupeKey: `pickup-serial:${order.id}`,
    },
    now,
  );
  await writeAudit(
    tx,
    {
      ...actor,
      action: 'order.paid',
      subject: `order:${order.id}`,
      details: { method, amount: order.amount },
    },
    now,
  );
  return { pickupSerial: serial, paidAt: now };
}
