import { kickOutbox } from '../notifications/kick.js';
import { writeAudit } from '../platform/audit.js';
import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { fingerprintOf } from '../platform/idempotency.js';
import { lockPerson } from '../purchases/history.repo.js';
import { markOrderPaid, paymentRefusal } from './mark-order-paid.js';
import { claimNotice, lockPayableOrder, orderByVirtualAccount, settleNotice } from './payments.repo.js';

export interface BankNotice {
  noticeId: string;
  toAccount: string;
  amount: number;
  transferredAt: string;
}

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

/** Accounts are compared by their digits: banks print them with spaces or dashes. */
export function normaliseAccount(account: string): string {
  return account.replace(/[\s-]/g, '');
}

function unmatchedReason(code: string): UnmatchedReason {
  if (code === 'ALREADY_PAID') return 'already_paid';
  if (code === 'PAYMENT_CLOSED') return 'outside_payment_window';
  return 'not_awaiting_payment';
}

/**
 * A bank's notice of a transfer into a personal virtual account (SPEC §5, [ORD 2, 24.4, 24.5]),
 * already authenticated by its signature. In one transaction:
 * - the notice id is claimed: a replay (or a concurrent duplicate, which waits) gets the first
 *   outcome and pays nothing; the same id with other content is refused;
 * - the order of the account is found, the person row then the order row are locked;
 * - inside the payment window, for the exact amount, an order awaiting payment becomes paid
 *   (serial, SMS, audit); anything else is kept as an unmatched transfer, not refunded.
 */
export async function applyBankNotice(notice: BankNotice, deps: Deps): Promise<NoticeOutcome> {
  const now = deps.clock.now();
  const transferredAt = new Date(notice.transferredAt);
  if (Number.isNaN(transferredAt.getTime())) {
    throw new AppError('VALIDATION_FAILED', 'transferredAt must be an ISO-8601 instant.', {
      fields: [{ field: 'body/transferredAt' }],
    });
  }
  const account = normaliseAccount(notice.toAccount);
  const fingerprint = fingerprintOf(notice.noticeId, account, notice.amount, transferredAt.toISOString());

  const outcome = await deps.sql.begin(async (tx): Promise<NoticeOutcome & { paid: boolean }> => {
    const seen = await claimNotice(tx, {
      noticeId: notice.noticeId,
      fingerprint,
      toAccount: account,
      amount: notice.amount,
      transferredAt,
      receivedAt: now,
    });
    if (seen) {
      if (seen.fingerprint !== fingerprint) {
        throw new AppError('IDEMPOTENCY_KEY_REUSED', 'This notice id was already used for another transfer.');
      }
      return {
        noticeId: seen.noticeId,
        matched: seen.matched === true,
        orderId: seen.orderId,
        reason: (seen.reason as UnmatchedReason | null) ?? null,
        paid: false,
      };
    }

    let result: NoticeOutcome = {
      noticeId: notice.noticeId,
      matched: false,
      orderId: null,
      reason: 'unknown_account',
    };
    const target = await orderByVirtualAccount(tx, account);
    if (target) {
      await lockPerson(tx, target.personId);
      const order = await lockPayableOrder(tx, target.id);
      if (order) {
        const refusal = paymentRefusal(order, now);
        if (refusal) {
          result = { ...result, orderId: order.id, reason: unmatchedReason(refusal.code) };
        } else if (notice.amount !== order.amount) {
          result = { ...result, orderId: order.id, reason: 'amount_mismatch' };
        } else {
          await markOrderPaid(tx, order, 'atm', now, { actorKind: 'bank', actorId: 'bank' });
          result = { ...result, matched: true, orderId: order.id, reason: null };
        }
      }
    }
    await settleNotice(tx, result);
    await writeAudit(
      tx,
      {
        actorKind: 'bank',
        actorId: 'bank',
        action: 'bank.notice',
        subject: `notice:${notice.noticeId}`,
        details: {
          matched: result.matched,
          reason: result.reason,
          orderId: result.orderId,
          amount: notice.amount,
        },
      },
      now,
    );
    return { ...result, paid: result.matched };
  });
  if (outcome.paid) kickOutbox();
  const { paid: _paid, ...answer } = outcome;
  return answer;
}
