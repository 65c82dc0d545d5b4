import { kickOutbox } from '../notifications/kick.js';
import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { fingerprintOf } from '../platform/idempotency.js';
import { parseVirtualAccount } from '../rules/virtual-account.js';
import { type NoticeOutcome, type PreparedNotice, submitNotice } from './notice-batch.js';

export type { NoticeOutcome, UnmatchedReason } from './notice-batch.js';

export interface BankNotice {
  noticeId: string;
  toAccount: string;
  amount: number;
  transferredAt: string;
}

/** Accounts are compared by their digits: banks print them with spaces or dashes. */
export function normaliseAccount(account: string): string {
  return account.replace(/[\s-]/g, '');
}

/**
 * A bank's notice of a transfer into a personal virtual account (SPEC §5, [ORD 2, 24.4, 24.5]),
 * already authenticated by its signature. The account is a pure function of the order
 * (src/rules/virtual-account.ts): it names its order, check digit verified, without a look-up.
 * Concurrent notices are applied together, set-based, in one transaction (src/payments/notice-batch.ts);
 * each still gets its own answer, after the commit:
 * - the notice id is claimed: a replay (or a concurrent duplicate) gets the first outcome and pays
 *   nothing; the same id with other content is refused (409 IDEMPOTENCY_KEY_REUSED);
 * - the order of the account is read, and its payment row is the claim (its key: once per order);
 * - inside the payment window, for the exact amount, an order awaiting payment becomes paid
 *   (serial, SMS, audit); anything else is kept as an unmatched transfer, not refunded.
 */
export async function applyBankNotice(notice: BankNotice, deps: Deps): Promise<NoticeOutcome> {
  const answer = await submitNotice(deps.sql, prepareBankNotice(notice, deps.clock.now()));
  if ('error' in answer) throw answer.error;
  if (answer.paid) kickOutbox();
  return answer.outcome;
}

/**
 * A notice made ready to apply: its account as digits, the order that account names (check digit
 * verified, no look-up), and the fingerprint that tells a replay from another transfer under the
 * same id. A `transferredAt` that is no instant is refused (400 VALIDATION_FAILED). Shared by the
 * single and the bulk endpoint (apply-bank-notice-batch.ts), so both answer a notice alike.
 */
export function prepareBankNotice(notice: BankNotice, now: Date): PreparedNotice {
  const transferredAt = new Date(notice.transferredAt);
  if (Number.isNaN(transferredAt.getTime())) {
    throw new AppError('VALIDATION_FAILED', 'transferredAt must be an ISO-8601 instant.', {
      fields: [{ field: 'body/transferredAt' }],
    });
  }
  const account = normaliseAccount(notice.toAccount);
  return {
    noticeId: notice.noticeId,
    fingerprint: fingerprintOf(notice.noticeId, account, notice.amount, transferredAt.toISOString()),
    account,
    amount: notice.amount,
    transferredAt,
    now,
    orderId: parseVirtualAccount(account)?.orderId ?? null,
  };
}
