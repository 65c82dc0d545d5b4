import { kickOutbox } from '../notifications/kick.js';
import type { Deps } from '../platform/deps.js';
import { AppError, errorBody } from '../platform/errors.js';
import { type BankNotice, prepareBankNotice } from './apply-bank-notice.js';
import {
  type NoticeAnswer,
  type NoticeOutcome,
  type PreparedNotice,
  submitNoticeBatch,
} from './notice-batch.js';

/**
 * One notice's answer inside a batch: what `POST /api/v1/partners/bank/notices` would have
 * answered for it alone, its status code and its body (the outcome, or the `error` object of the
 * error body).
 */
export type NoticeBatchResult =
  | { noticeId: string; status: 200; outcome: NoticeOutcome }
  | { noticeId: string; status: number; error: ReturnType<typeof errorBody>['error'] };

/**
 * A bank's bulk delivery of notices (docs/PAYMENTS.md), already authenticated by the signature
 * over the whole body. Each notice is prepared as the single endpoint prepares it (a
 * `transferredAt` that is no instant is that notice's 400, not the batch's); the valid ones are
 * applied together, set-based, in one transaction (src/payments/notice-batch.ts) with the same
 * rules as one at a time: in request order, a repeated id (within the batch or from an earlier
 * delivery) is a replay answered with the first outcome (or 409 IDEMPOTENCY_KEY_REUSED when its
 * content differs), a second notice for an order paid by an earlier one is `already_paid`.
 * Answers come only after the commit: every result is durable.
 */
export async function applyBankNoticeBatch(
  input: { notices: readonly BankNotice[] },
  deps: Deps,
): Promise<{ results: NoticeBatchResult[] }> {
  const now = deps.clock.now();
  const prepared: (PreparedNotice | AppError)[] = input.notices.map((notice) => {
    try {
      return prepareBankNotice(notice, now);
    } catch (error) {
      if (error instanceof AppError) return error;
      throw error;
    }
  });
  const valid = prepared.filter((p): p is PreparedNotice => !(p instanceof AppError));
  const answers = await submitNoticeBatch(deps.sql, valid);
  let next = 0;
  let paid = false;
  const results = prepared.map((p, i): NoticeBatchResult => {
    const noticeId = (input.notices[i] as BankNotice).noticeId;
    const answer: NoticeAnswer = p instanceof AppError ? { error: p } : (answers[next++] as NoticeAnswer);
    if ('error' in answer)
      return { noticeId, status: answer.error.status, error: errorBody(answer.error).error };
    if (answer.paid) paid = true;
    return { noticeId, status: 200, outcome: answer.outcome };
  });
  if (paid) kickOutbox();
  return { results };
}
