import { randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { setUpTestDeps } from '../../test/support/deps.js';
import { ROUND_1, randomNationalId, randomPhone } from '../../test/support/factories.js';
import { issueCard } from '../cards/issue-card.js';
import { runDraw } from '../draw/run-draw.js';
import { placeOrder } from '../orders/place-order.js';
import { createRound } from '../rounds/create-round.js';
import { virtualAccount } from '../rules/virtual-account.js';
import { registerStore } from '../stores/register-store.js';
import { applyBankNotice, type BankNotice } from './apply-bank-notice.js';
import { applyBankNoticeBatch, type NoticeBatchResult } from './apply-bank-notice-batch.js';

/**
 * The bank-notice batch use case (`applyBankNoticeBatch`, src/payments/notice-batch.ts) on the
 * real repositories and a real database, without HTTP: what each notice of a batch answers and
 * what the batch leaves in the database (payments, notices, pickup SMS, audit rows).
 */
const world = setUpTestDeps();
const deps = () => world.deps;
const at = (iso: string) => world.at(iso);

const IN_REGISTRATION = '2020-03-12T10:00:00+08:00';
const AFTER_CLOSE = '2020-03-18T20:00:00+08:00';
const IN_PAYMENT = '2020-03-20T10:00:00+08:00';
const AFTER_PAYMENT = '2020-03-25T20:00:00+08:00';
const TRANSFERRED_AT = '2020-03-20T09:59:00+08:00';

interface Selected {
  id: number;
  account: string;
  amount: number;
}

let roundSeq = 0;
let noticeSeq = 0;

/**
 * A round of `n` orders, placed in registration and all selected by the draw (supply ≥ orders),
 * with the clock left inside the payment window: every step by its production use case.
 */
async function selectedOrders(n: number): Promise<{ roundId: number; orders: Selected[] }> {
  at(IN_REGISTRATION);
  roundSeq += 1;
  const round = await createRound({ ...ROUND_1, name: `notice-batch-${roundSeq}` }, deps(), 'admin');
  const store = await registerStore(
    {
      chain: 'FamilyMart',
      storeNo: `${randomInt(1e6)}${roundSeq}`,
      name: '全家台大店',
      address: '臺北市大安區羅斯福路四段1號',
      city: '臺北市',
      district: '大安區',
    },
    deps(),
    'admin',
  );
  const orders: Selected[] = [];
  for (let i = 0; i < n; i++) {
    const card = await issueCard(
      { nationalId: randomNationalId(), name: '測試民眾', birthDate: '1985-06-15', nationality: 'TW' },
      deps(),
      'admin',
    );
    const placed = await placeOrder(
      {
        personId: card.personId,
        channel: 'web_card',
        roundId: round.id,
        storeId: store.id,
        phone: randomPhone(),
        email: `buyer.${randomInt(1e9)}@example.tw`,
      },
      deps(),
    );
    orders.push({ id: placed.id, account: virtualAccount(round.id, placed.id), amount: placed.amount });
  }
  at(AFTER_CLOSE);
  const drawn = await runDraw({ roundId: round.id, seed: 'aa' }, deps(), 'admin');
  expect(drawn.selected).toBe(n);
  at(IN_PAYMENT);
  return { roundId: round.id, orders };
}

const notice = (toAccount: string, amount: number, noticeId = `BANK-UC-${++noticeSeq}`): BankNotice => ({
  noticeId,
  toAccount,
  amount,
  transferredAt: TRANSFERRED_AT,
});

const apply = async (notices: BankNotice[]) => (await applyBankNoticeBatch({ notices }, deps())).results;

/** The order's payment rows, its pickup SMS and its `order.paid` audit rows: each once when paid. */
async function traces(orderId: number) {
  const sql = deps().sql;
  const [row] = await sql<{ payments: number; sms: number; audits: number; method: string | null }[]>`
    select (select count(*)::int from order_payments where order_id = ${orderId}) as payments,
           (select min(method) from order_payments where order_id = ${orderId}) as method,
           (select count(*)::int from outbox where channel = 'sms' and dedupe_key = ${`pickup-serial:${orderId}`}) as sms,
           (select count(*)::int from audit_log where action = 'order.paid' and subject = ${`order:${orderId}`}) as audits`;
  return row;
}

async function storedNotices(ids: readonly string[]) {
  return deps().sql<
    { notice_id: string; matched: boolean; reason: string | null; order_id: number | null }[]
  >`
    select notice_id, matched, reason, order_id from bank_notices where notice_id = any(${ids as string[]})
    order by notice_id`;
}

/**
 * Runs `start` while the payment rows are locked against writes (reads go on): each of the `n`
 * transactions it starts reads its orders unpaid, then waits at its payment insert; once all `n`
 * wait, the lock goes and they race for the same payment rows.
 */
async function racingAtThePayment<T>(n: number, start: () => Promise<T>): Promise<T> {
  const sql = deps().sql;
  const waiting = async () =>
    (
      await sql<{ n: number }[]>`
        select count(*)::int as n from pg_locks l join pg_class c on c.oid = l.relation
        where c.relname = 'order_payments' and not l.granted`
    )[0]?.n ?? 0;
  let race: Promise<T> | undefined;
  await sql.begin(async (tx) => {
    await tx`lock table order_payments in exclusive mode`;
    race = start();
    await expect.poll(waiting, { timeout: 30_000 }).toBe(n);
  });
  return race as Promise<T>;
}

const matched = (noticeId: string, orderId: number): NoticeBatchResult => ({
  noticeId,
  status: 200,
  outcome: { noticeId, matched: true, orderId, reason: null },
});
const unmatched = (noticeId: string, orderId: number | null, reason: string) => ({
  noticeId,
  status: 200,
  outcome: { noticeId, matched: false, orderId, reason },
});

describe('applyBankNoticeBatch (use case, real database, no HTTP)', () => {
  it('answers each notice of a mixed batch as alone, in order, and pays each order once', async () => {
    const { roundId, orders } = await selectedOrders(4);
    const [a, b, c, d] = orders as [Selected, Selected, Selected, Selected];
    // d was paid by an earlier delivery
    expect(await applyBankNotice(notice(d.account, d.amount, 'BANK-UC-EARLIER'), deps())).toMatchObject({
      matched: true,
      orderId: d.id,
    });

    const payA = notice(a.account, a.amount);
    const batch = [
      payA,
      { ...payA }, // the same notice twice in one delivery: a replay of the first
      { ...payA, amount: a.amount + 1 }, // its id again with other content
      notice(a.account, a.amount), // a second transfer to an order paid just above
      notice(virtualAccount(roundId, 999_999), 22), // a well-formed account of no order
      notice('12345', 22), // no account at all
      notice(b.account.replace(/^(\d{4})/, '$1-'), b.amount - 1), // wrong amount (account with a dash)
      notice(d.account, d.amount), // already paid by the earlier delivery
      { ...notice(c.account, c.amount), transferredAt: 'yesterday' }, // no instant: this notice's 400
      notice(c.account.replace(/(\d{4})(?=\d)/g, '$1 '), c.amount), // pays c (account with spaces)
    ];
    const results = await apply(batch);
    const id = (i: number) => (batch[i] as BankNotice).noticeId;

    expect(results).toEqual([
      matched(id(0), a.id),
      matched(id(1), a.id),
      {
        noticeId: id(2),
        status: 409,
        error: expect.objectContaining({ code: 'IDEMPOTENCY_KEY_REUSED' }),
      },
      unmatched(id(3), a.id, 'already_paid'),
      unmatched(id(4), null, 'unknown_account'),
      unmatched(id(5), null, 'unknown_account'),
      unmatched(id(6), b.id, 'amount_mismatch'),
      unmatched(id(7), d.id, 'already_paid'),
      { noticeId: id(8), status: 400, error: expect.objectContaining({ code: 'VALIDATION_FAILED' }) },
      matched(id(9), c.id),
    ]);
    // The payments: a and c by this batch, d by the earlier notice, b not at all; each once.
    expect(await traces(a.id)).toEqual({ payments: 1, method: 'atm', sms: 1, audits: 1 });
    expect(await traces(b.id)).toEqual({ payments: 0, method: null, sms: 0, audits: 0 });
    expect(await traces(c.id)).toEqual({ payments: 1, method: 'atm', sms: 1, audits: 1 });
    expect(await traces(d.id)).toEqual({ payments: 1, method: 'atm', sms: 1, audits: 1 });
    // Every new notice id is stored once, matched or not; the refused ones (409, 400) not again.
    const ids = [id(0), id(3), id(4), id(5), id(6), id(7), id(8), id(9)];
    expect(await storedNotices(ids)).toEqual(
      [
        { notice_id: id(0), matched: true, reason: null, order_id: a.id },
        { notice_id: id(3), matched: false, reason: 'already_paid', order_id: a.id },
        { notice_id: id(4), matched: false, reason: 'unknown_account', order_id: null },
        { notice_id: id(5), matched: false, reason: 'unknown_account', order_id: null },
        { notice_id: id(6), matched: false, reason: 'amount_mismatch', order_id: b.id },
        { notice_id: id(7), matched: false, reason: 'already_paid', order_id: d.id },
        { notice_id: id(9), matched: true, reason: null, order_id: c.id },
      ].sort((x, y) => x.notice_id.localeCompare(y.notice_id)),
    );
  });

  it('answers a re-delivered batch with its first outcomes and pays nothing again', async () => {
    const { orders } = await selectedOrders(2);
    const [a, b] = orders as [Selected, Selected];
    const batch = [notice(a.account, a.amount), notice(b.account, b.amount + 5)];
    const first = await apply(batch);
    expect(first).toEqual([
      matched(batch[0]?.noticeId as string, a.id),
      unmatched(batch[1]?.noticeId as string, b.id, 'amount_mismatch'),
    ]);
    expect(await apply(batch)).toEqual(first);
    expect(await traces(a.id)).toEqual({ payments: 1, method: 'atm', sms: 1, audits: 1 });
    expect(await traces(b.id)).toEqual({ payments: 0, method: null, sms: 0, audits: 0 });
  });

  it('refuses a selected order outside the payment window and leaves it unpaid', async () => {
    const { orders } = await selectedOrders(1);
    const [a] = orders as [Selected];
    at(AFTER_PAYMENT);
    const late = notice(a.account, a.amount);
    expect(await apply([late])).toEqual([unmatched(late.noticeId, a.id, 'outside_payment_window')]);
    expect(await traces(a.id)).toEqual({ payments: 0, method: null, sms: 0, audits: 0 });
  });

  it('two concurrent batches paying the same orders pay each once: one notice matches, the other is already_paid', async () => {
    const { orders } = await selectedOrders(6);
    const batchOf = () => orders.map((o) => notice(o.account, o.amount));
    const [one, two] = [batchOf(), batchOf()];
    const [first, second] = await racingAtThePayment(2, () => Promise.all([apply(one), apply(two)]));
    for (const [i, order] of orders.entries()) {
      const answers = [first[i], second[i]].map((r) => (r && 'outcome' in r ? r.outcome : undefined));
      expect(answers.filter((o) => o?.matched)).toHaveLength(1);
      expect(answers.filter((o) => !o?.matched)).toEqual([
        expect.objectContaining({ matched: false, orderId: order.id, reason: 'already_paid' }),
      ]);
      expect(await traces(order.id)).toEqual({ payments: 1, method: 'atm', sms: 1, audits: 1 });
    }
    expect(await storedNotices([...one, ...two].map((n) => n.noticeId))).toHaveLength(12);
  });

  it('a batch and a single notice paying the same order at once pay it once', async () => {
    const { orders } = await selectedOrders(1);
    const [a] = orders as [Selected];
    const [batch, single] = await racingAtThePayment(2, () =>
      Promise.all([
        apply([notice(a.account, a.amount)]),
        applyBankNotice(notice(a.account, a.amount), deps()),
      ]),
    );
    const outcomes = [batch[0] && 'outcome' in batch[0] ? batch[0].outcome : undefined, single];
    expect(outcomes.filter((o) => o?.matched)).toHaveLength(1);
    expect(outcomes.filter((o) => o?.reason === 'already_paid')).toHaveLength(1);
    expect(await traces(a.id)).toEqual({ payments: 1, method: 'atm', sms: 1, audits: 1 });
  });
});
