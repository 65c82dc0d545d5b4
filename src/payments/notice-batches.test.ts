// Over 300 lines: one topic (bulk bank notices over HTTP) whose cases share the signed-delivery helpers.
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { citizenToken, orderPaymentOf, setClock } from '../../test/support/factories.js';
import { drawWinner, paymentOrder, queuedPickupSms, setUpPaymentWorld } from '../../test/support/payments.js';
import { virtualAccount } from '../rules/virtual-account.js';
import { bankNoticeHeaders, unixSeconds } from './bank-signature.js';

/** POST /api/v1/partners/bank/notice-batches: the bank's bulk delivery of notices. */

const IN_WINDOW = '2020-03-20T10:00:00+08:00';
const AT = '2020-03-20T09:59:00+08:00';
const BATCHES = '/api/v1/partners/bank/notice-batches';
const SINGLE = '/api/v1/partners/bank/notices';

interface Notice {
  noticeId: string;
  toAccount: string;
  amount: number;
  transferredAt: string;
}
interface Result {
  noticeId: string;
  status: number;
  outcome?: { noticeId: string; matched: boolean; orderId: number | null; reason: string | null };
  error?: { code: string; message: string };
}

const w = setUpPaymentWorld(IN_WINDOW);
const { t, api } = w;
beforeEach(async () => {
  await setClock(api, IN_WINDOW);
});

const order = (state: 'registered' | 'awaiting_payment' | 'paid' = 'awaiting_payment') =>
  paymentOrder(w, { state });
const winner = () => drawWinner(w);

const notice = (toAccount: string, amount = 22, noticeId = `BANK-${randomUUID()}`): Notice => ({
  noticeId,
  toAccount,
  amount,
  transferredAt: AT,
});

function signed<T = Record<string, unknown>>(
  path: string,
  raw: string,
  options: { secret?: string; timestamp?: string; signedRaw?: string } = {},
) {
  const timestamp = options.timestamp ?? unixSeconds(t.deps.clock.now());
  return api.call<T>('POST', path, {
    raw,
    headers: bankNoticeHeaders(
      options.secret ?? t.deps.config.bankNoticeSecret,
      timestamp,
      options.signedRaw ?? raw,
    ),
  });
}

const batch = (notices: unknown[], options?: Parameters<typeof signed>[2]) =>
  signed<{ results: Result[] }>(BATCHES, JSON.stringify({ notices }), options);
const single = (n: Notice) => signed(SINGLE, JSON.stringify(n));

const orderRow = (id: number) => orderPaymentOf(t.sql, id);
const queuedSms = (orderId: number) => queuedPickupSms(t.sql, orderId);
const paidAudits = async (orderId: number) =>
  (
    await t.sql<{ n: number }[]>`
      select count(*)::int as n from audit_log where action = 'order.paid' and subject = ${`order:${orderId}`}`
  )[0]?.n;
const storedNotices = (ids: string[]) =>
  t.sql<{ notice_id: string; matched: boolean; reason: string | null; order_id: number | null }[]>`
    select notice_id, matched, reason, order_id from bank_notices where notice_id = any(${ids})`;

describe('bulk bank notices', () => {
  it('answers every notice of a mixed batch in order, as the single endpoint would, in one delivery', async () => {
    const payers = await Promise.all([winner(), winner(), winner()]);
    const legacy = await order('awaiting_payment'); // stored with its account (older rows)
    const wrongAmount = await winner();
    const alreadyPaid = await order('paid');
    const notSelected = await order('registered');
    const twice = await winner();
    const notices = [
      ...payers.map((o) => notice(o.virtualAccount)),
      notice(legacy.virtualAccount as string),
      notice(wrongAmount.virtualAccount, 21),
      notice('9609990000000001'),
      notice(alreadyPaid.virtualAccount as string),
      notice(virtualAccount(w.roundId, notSelected.id)),
      notice(twice.virtualAccount),
      notice(twice.virtualAccount), // a second transfer for an order the previous one paid
    ];
    const res = await batch(notices);
    expect(res.status).toBe(200);
    const outcomes = res.body.results.map((r) => ({ id: r.noticeId, status: r.status, ...r.outcome }));
    const expected = [
      ...payers.map((o) => ({ matched: true, orderId: o.id, reason: null })),
      { matched: true, orderId: legacy.id, reason: null },
      { matched: false, orderId: wrongAmount.id, reason: 'amount_mismatch' },
      { matched: false, orderId: null, reason: 'unknown_account' },
      { matched: false, orderId: alreadyPaid.id, reason: 'already_paid' },
      { matched: false, orderId: null, reason: 'unknown_account' }, // not selected: it has no account
      { matched: true, orderId: twice.id, reason: null },
      { matched: false, orderId: twice.id, reason: 'already_paid' },
    ];
    expect(outcomes).toEqual(
      notices.map((n, i) => ({ id: n.noticeId, status: 200, noticeId: n.noticeId, ...expected[i] })),
    );

    for (const o of [...payers, legacy, twice]) {
      const row = await orderRow(o.id);
      expect(row).toMatchObject({ state: 'paid', payment_method: 'atm' });
      expect(row?.pickup_serial).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{12}$/);
      expect(await queuedSms(o.id)).toHaveLength(1);
      expect(await paidAudits(o.id)).toBe(1);
    }
    expect((await orderRow(wrongAmount.id))?.state).toBe('awaiting_payment');
    expect((await orderRow(notSelected.id))?.state).toBe('registered');
    expect(await queuedSms(wrongAmount.id)).toHaveLength(0);
    expect(await queuedSms(alreadyPaid.id)).toHaveLength(0);
    const stored = await storedNotices(notices.map((n) => n.noticeId));
    expect(stored).toHaveLength(notices.length);
    // The order.paid audit rows name the notice that paid.
    const paidBy = await t.sql<{ subject: string; notice: string }[]>`
      select subject, details->>'noticeId' as notice from audit_log
      where action = 'order.paid' and details->>'noticeId' = any(${notices.map((n) => n.noticeId)})`;
    expect(paidBy.length).toBe(stored.filter((s) => s.matched).length);
    for (const row of paidBy) {
      const notice = stored.find((s) => s.notice_id === row.notice);
      expect(row.subject).toBe(`order:${notice?.order_id}`);
    }

    // Each notice re-sent alone gets, from the single endpoint, exactly the batch's answer.
    for (const [i, n] of notices.entries()) {
      const again = await single(n);
      expect(again.status).toBe(200);
      expect(again.body).toEqual(res.body.results[i]?.outcome);
    }
    expect(await queuedSms(twice.id)).toHaveLength(1);
  });

  it('answers a repeated id within a batch like a replay of its first occurrence (409 when its content differs)', async () => {
    const o = await winner();
    const other = await winner();
    const first = notice(o.virtualAccount);
    const reused = { ...notice(other.virtualAccount), noticeId: first.noticeId };
    const res = await batch([first, first, reused, first]);
    expect(res.status).toBe(200);
    const [a, b, c, d] = res.body.results;
    const paid = { noticeId: first.noticeId, matched: true, orderId: o.id, reason: null };
    expect(a).toEqual({ noticeId: first.noticeId, status: 200, outcome: paid });
    expect(b).toEqual(a);
    expect(d).toEqual(a);
    expect(c).toMatchObject({
      noticeId: first.noticeId,
      status: 409,
      error: { code: 'IDEMPOTENCY_KEY_REUSED' },
    });
    expect(c?.outcome).toBeUndefined();
    // The single endpoint answers the reuse the same way.
    const alone = await single(reused);
    expect(alone.status).toBe(409);
    expect(alone.body).toEqual({ error: c?.error });
    expect((await orderRow(other.id))?.state).toBe('awaiting_payment');
    expect(await queuedSms(o.id)).toHaveLength(1);
    expect(await paidAudits(o.id)).toBe(1);
    expect(await storedNotices([first.noticeId])).toHaveLength(1);
  });

  it('answers notices delivered again in a later batch with their first outcome, paying nothing twice', async () => {
    const [x, y, z] = await Promise.all([winner(), winner(), winner()]);
    if (!x || !y || !z) throw new Error('no winners');
    const paysX = notice(x.virtualAccount);
    const wrong = notice(y.virtualAccount, 99);
    const first = await batch([paysX, wrong]);
    expect(first.body.results.map((r) => r.outcome?.reason)).toEqual([null, 'amount_mismatch']);

    // Replays (both), a changed replay, and new notices: one for y (unpaid so far), one for x (paid).
    const paysY = notice(y.virtualAccount);
    const xAgain = notice(x.virtualAccount);
    const changed = { ...paysX, amount: 23 };
    const second = await batch([wrong, paysY, paysX, changed, xAgain, notice(z.virtualAccount)]);
    expect(second.status).toBe(200);
    const r = second.body.results;
    expect(r[0]).toEqual(first.body.results[1]);
    expect(r[1]?.outcome).toMatchObject({ matched: true, orderId: y.id });
    expect(r[2]).toEqual(first.body.results[0]);
    expect(r[3]).toMatchObject({ status: 409, error: { code: 'IDEMPOTENCY_KEY_REUSED' } });
    expect(r[4]?.outcome).toMatchObject({ matched: false, orderId: x.id, reason: 'already_paid' });
    expect(r[5]?.outcome).toMatchObject({ matched: true, orderId: z.id });

    // The same batch delivered again (a bank retry after a lost answer): the same answers, nothing new.
    const retry = await batch([
      wrong,
      paysY,
      paysX,
      changed,
      xAgain,
      notice(z.virtualAccount, 22, r[5]?.noticeId),
    ]);
    expect(retry.body.results).toEqual(r);
    for (const o of [x, y, z]) {
      expect(await queuedSms(o.id)).toHaveLength(1);
      expect(await paidAudits(o.id)).toBe(1);
    }
  });

  it('answers a notice whose time is no instant with its own 400, and applies the others', async () => {
    const o = await winner();
    // Well-formed for the schema (a leap second), yet no instant JavaScript can represent.
    const leap = { ...notice(o.virtualAccount), transferredAt: '2016-12-31T23:59:60Z' };
    const good = notice(o.virtualAccount);
    const res = await batch([leap, good]);
    expect(res.status).toBe(200);
    const alone = await single(leap);
    expect(alone.status).toBe(400);
    expect(res.body.results[0]).toEqual({ noticeId: leap.noticeId, status: 400, error: alone.body.error });
    expect(res.body.results[0]?.error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(res.body.results[1]).toMatchObject({ status: 200, outcome: { matched: true, orderId: o.id } });
    expect(await storedNotices([leap.noticeId])).toHaveLength(0);
  });

  it('refuses a bad or missing signature, a tampered body and a stale timestamp with 401, writing nothing', async () => {
    const o = await winner();
    const n = notice(o.virtualAccount);
    const raw = JSON.stringify({ notices: [n] });
    const ts = unixSeconds(t.deps.clock.now());
    const attempts = [
      await batch([n], { secret: 'not-the-bank' }),
      await api.call('POST', BATCHES, { raw, headers: { 'content-type': 'application/json' } }),
      await signed(BATCHES, raw.replace('"amount":22', '"amount":2200'), { signedRaw: raw }),
      await batch([n], { timestamp: String(Number(ts) - 10 * 60) }),
      await batch([n], { timestamp: String(Number(ts) + 10 * 60) }),
      // A notice's own signature does not sign a batch carrying it.
      await signed(BATCHES, raw, { signedRaw: JSON.stringify(n) }),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ error: { code: 'AUTH_FAILED' } });
    }
    expect(await storedNotices([n.noticeId])).toHaveLength(0);
    expect((await orderRow(o.id))?.state).toBe('awaiting_payment');
  });

  it('refuses a malformed batch with 400 and a code (never a 500), writing nothing', async () => {
    const o = await winner();
    const good = notice(o.virtualAccount);
    const over = Array.from({ length: 1001 }, (_, i) => notice('9609990000000001', 22, `OVER-${i}`));
    const cases = [
      await signed(BATCHES, '{"notices": ['),
      await signed(BATCHES, JSON.stringify({})),
      await signed(BATCHES, JSON.stringify([good])),
      await batch([]),
      await batch([good, { ...good, noticeId: 'BANK-x', amount: -1 }]),
      await batch([good, { noticeId: 'BANK-y', amount: 22 }]),
      await batch([good, 'not a notice']),
      await batch(over),
    ];
    for (const res of cases) {
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    }
    expect(JSON.stringify(cases.at(-1)?.body)).toContain('1000');
    // A body beyond any 1,000 notices is refused before it is read.
    const huge = await signed(BATCHES, JSON.stringify({ notices: [good], pad: 'x'.repeat(600_000) }));
    expect(huge.status).toBe(413);
    expect(huge.body).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    expect(await storedNotices([good.noticeId, ...over.map((n) => n.noticeId)])).toHaveLength(0);
    expect((await orderRow(o.id))?.state).toBe('awaiting_payment');
  });

  it('takes a full batch of 1,000 notices in one request', async () => {
    const payers = await Promise.all(Array.from({ length: 5 }, () => winner()));
    const notices = Array.from({ length: 1000 }, (_, i) => {
      const payer = i < payers.length ? payers[i] : undefined;
      return payer ? notice(payer.virtualAccount) : notice('9609990000000001', 22, `FULL-${randomUUID()}`);
    });
    const res = await batch(notices);
    expect(res.status).toBe(200);
    expect(res.body.results).toHaveLength(1000);
    expect(res.body.results.map((r) => r.noticeId)).toEqual(notices.map((n) => n.noticeId));
    expect(res.body.results.filter((r) => r.outcome?.matched)).toHaveLength(5);
    expect(res.body.results.filter((r) => r.outcome?.reason === 'unknown_account')).toHaveLength(995);
    expect(await storedNotices(notices.map((n) => n.noticeId))).toHaveLength(1000);
  });

  it('a batch, a single notice and a card payment racing for one order pay it once', async () => {
    for (let round = 0; round < 3; round++) {
      const o = await winner();
      const token = await citizenToken(t.sql, o.personId, 'web_card', t.deps.clock.now());
      const card = { cardNumber: '4111 1111 1111 1111', expiry: '12/25', cvc: '123', holder: 'Someone' };
      const others = await Promise.all([winner(), winner()]);
      const [byCard, byBatch, bySingle, byOtherBatch] = await Promise.all([
        api.post<Record<string, unknown>>(`/api/v1/orders/${o.id}/payments/card`, card, { token }),
        batch([notice(others[0]?.virtualAccount as string), notice(o.virtualAccount)]),
        single(notice(o.virtualAccount)),
        batch([notice(o.virtualAccount), notice(others[1]?.virtualAccount as string)]),
      ]);
      const atm = [
        byBatch.body.results[1]?.outcome,
        bySingle.body,
        byOtherBatch.body.results[0]?.outcome,
      ] as {
        matched: boolean;
        reason: string | null;
      }[];
      const successes = [byCard.status === 201, ...atm.map((a) => a.matched === true)].filter(Boolean);
      expect(successes).toHaveLength(1);
      for (const a of atm) if (!a.matched) expect(a.reason).toBe('already_paid');
      if (byCard.status !== 201) expect(byCard.body).toMatchObject({ error: { code: 'ALREADY_PAID' } });
      expect(byBatch.body.results[0]?.outcome?.matched).toBe(true);
      expect(byOtherBatch.body.results[1]?.outcome?.matched).toBe(true);
      expect((await orderRow(o.id))?.state).toBe('paid');
      expect(await queuedSms(o.id)).toHaveLength(1);
      expect(await paidAudits(o.id)).toBe(1);
    }
  });
});
