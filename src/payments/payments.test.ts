// Over 300 lines: ATM transfers, signed notices and concurrent notices share one payment world and its helpers.
import { randomUUID } from 'node:crypto';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestApp } from '../../test/support/app.js';
import {
  citizenToken,
  type createOrderInState,
  orderPaymentOf,
  setClock,
} from '../../test/support/factories.js';
import { client } from '../../test/support/http.js';
import {
  drawWinner,
  IN_WINDOW,
  paymentOrder,
  queuedPickupSms,
  SERIAL,
  setUpPaymentWorld,
  smsTo,
  transferTo,
} from '../../test/support/payments.js';
import { fingerprintOf } from '../platform/idempotency.js';
import { Vault } from '../platform/vault.js';
import { parseVirtualAccount, virtualAccount } from '../rules/virtual-account.js';
import {
  BANK_SIGNATURE_HEADER,
  BANK_TIMESTAMP_HEADER,
  bankNoticeHeaders,
  signBankNotice,
  unixSeconds,
} from './bank-signature.js';
import { applyNoticeBatch } from './notice-batch.js';

// Every person is created at IN_WINDOW, where the operator session stays valid.
const w = setUpPaymentWorld(IN_WINDOW);
const { t, api } = w;
let roundId: number;

beforeAll(() => {
  roundId = w.roundId;
});
beforeEach(async () => {
  await setClock(api, IN_WINDOW);
});

const selectedOrder = (overrides: Partial<Parameters<typeof createOrderInState>[1]> = {}) =>
  paymentOrder(w, overrides);

const orderRow = (id: number) => orderPaymentOf(t.sql, id);

const transfer = (toAccount: string, amount: number) => transferTo(w, toAccount, amount);
const smsFor = (phone: string) => smsTo(w, phone);

function signedNotice(
  notice: Record<string, unknown>,
  options: { secret?: string; timestamp?: string; raw?: string } = {},
) {
  const raw = options.raw ?? JSON.stringify(notice);
  const timestamp = options.timestamp ?? unixSeconds(t.deps.clock.now());
  return api.call<Record<string, unknown>>('POST', '/api/v1/partners/bank/notices', {
    raw,
    headers: bankNoticeHeaders(options.secret ?? t.deps.config.bankNoticeSecret, timestamp, raw),
  });
}

describe('ATM transfer to the personal virtual account', () => {
  it('pays the order, creates the pickup serial and sends the SMS from the official sender', async () => {
    const order = await selectedOrder();
    const res = await transfer(order.virtualAccount as string, 22);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ matched: true, transferId: expect.any(String) });

    const row = await orderRow(order.id);
    expect(row).toMatchObject({ state: 'paid', payment_method: 'atm' });
    expect(row?.paid_at?.toISOString()).toBe(new Date(IN_WINDOW).toISOString());
    expect(row?.pickup_serial).toMatch(SERIAL);

    const sms = await smsFor(order.phone);
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatchObject({ channel: 'sms', to: order.phone, from: '0911510914', sentAt: IN_WINDOW });
    const body = sms[0]?.body ?? '';
    expect(body).toContain(row?.pickup_serial as string);
    expect(body).toContain('全家台大店');
    expect(body).toContain('3/26–4/1');
    // Its own reference, the page to check it on, and what the platform never does (API.md v1.1).
    const [queued] = await t.sql<{ reference: string; summary: string }[]>`
      select reference, summary from outbox where dedupe_key = ${`pickup-serial:${order.id}`}`;
    expect(queued?.reference).toMatch(/^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$/);
    expect(body).toContain(`查證碼：${queued?.reference}，請至 https://emask.taiwan.gov.tw/verify 查證。`);
    expect(body).toContain('本平台不會來電、不會以簡訊要求匯款，也不會傳送付款連結。');
    expect(queued?.summary).toBe(
      'eMask 口罩預購付款完成通知：取貨序號已寄送 / eMask pre-order paid: pickup serial sent',
    );
  });

  it('keeps a transfer of the wrong amount as unmatched: the order stays unpaid, nothing is sent', async () => {
    const order = await selectedOrder();
    const res = await transfer(order.virtualAccount as string, 25);
    expect(res.status).toBe(201);
    expect(res.body.matched).toBe(false);
    expect((await orderRow(order.id))?.state).toBe('awaiting_payment');
    const [notice] =
      await t.sql`select matched, reason, order_id, amount from bank_notices where notice_id = ${res.body.transferId}`;
    expect(notice).toEqual({ matched: false, reason: 'amount_mismatch', order_id: order.id, amount: 25 });
    expect(await smsFor(order.phone)).toEqual([]);
  });

  it('keeps a transfer to an unknown account as unmatched, without refund', async () => {
    const res = await transfer('9609990000000001', 22);
    expect(res.status).toBe(201);
    expect(res.body.matched).toBe(false);
    const [notice] =
      await t.sql`select matched, reason, order_id from bank_notices where notice_id = ${res.body.transferId}`;
    expect(notice).toEqual({ matched: false, reason: 'unknown_account', order_id: null });
  });

  it('refuses payment outside the window (the order is given up), and a second transfer to a paid order', async () => {
    const late = await selectedOrder();
    await setClock(api, '2020-03-25T20:00:00+08:00');
    const res = await transfer(late.virtualAccount as string, 22);
    expect(res.body.matched).toBe(false);
    expect((await orderRow(late.id))?.state).toBe('awaiting_payment');
    const [notice] = await t.sql`select reason from bank_notices where notice_id = ${res.body.transferId}`;
    expect(notice?.reason).toBe('outside_payment_window');

    await setClock(api, IN_WINDOW);
    const paid = await selectedOrder();
    expect((await transfer(paid.virtualAccount as string, 22)).body.matched).toBe(true);
    const again = await transfer(paid.virtualAccount as string, 22);
    expect(again.body.matched).toBe(false);
    const [second] = await t.sql`select reason from bank_notices where notice_id = ${again.body.transferId}`;
    expect(second?.reason).toBe('already_paid');
    expect(await smsFor(paid.phone)).toHaveLength(1);
  });

  it('accepts the account written with spaces or dashes', async () => {
    const order = await selectedOrder();
    const account = order.virtualAccount as string;
    const spaced = `${account.slice(0, 4)} ${account.slice(4, 8)}-${account.slice(8)}`;
    expect((await transfer(spaced, 22)).body.matched).toBe(true);
  });
});

describe('signed bank notices', () => {
  it('a notice replayed (again and concurrently) pays once and answers each replay like the first', async () => {
    const order = await selectedOrder();
    const notice = {
      noticeId: `BANK-${randomUUID()}`,
      toAccount: order.virtualAccount,
      amount: 22,
      transferredAt: '2020-03-20T09:59:00+08:00',
    };
    const first = await signedNotice(notice);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ noticeId: notice.noticeId, matched: true, orderId: order.id, reason: null });
    const second = await signedNotice(notice);
    expect(second.status).toBe(200);
    expect(second.body).toEqual(first.body);
    const storm = await Promise.all(Array.from({ length: 5 }, () => signedNotice(notice)));
    for (const r of storm) expect(r.body).toEqual(first.body);

    const [{ n: paidAudits }] = (await t.sql`
      select count(*)::int as n from audit_log where action = 'order.paid' and subject = ${`order:${order.id}`}`) as [
      { n: number },
    ];
    expect(paidAudits).toBe(1);
    const notices = await t.sql`select 1 from bank_notices where notice_id = ${notice.noticeId}`;
    expect(notices).toHaveLength(1);
    expect(await smsFor(order.phone)).toHaveLength(1);
  });

  it('concurrent different notices for one order pay it once', async () => {
    const order = await selectedOrder();
    const answers = await Promise.all(
      Array.from({ length: 4 }, () =>
        signedNotice({
          noticeId: `BANK-${randomUUID()}`,
          toAccount: order.virtualAccount,
          amount: 22,
          transferredAt: '2020-03-20T09:59:00+08:00',
        }),
      ),
    );
    expect(answers.filter((a) => a.body.matched === true)).toHaveLength(1);
    expect(answers.filter((a) => a.body.reason === 'already_paid')).toHaveLength(3);
    expect(await smsFor(order.phone)).toHaveLength(1);
  });

  it('refuses the same notice id with other content (409) without paying', async () => {
    const order = await selectedOrder();
    const noticeId = `BANK-${randomUUID()}`;
    const base = {
      noticeId,
      toAccount: '9609990000000001',
      amount: 22,
      transferredAt: '2020-03-20T09:59:00+08:00',
    };
    expect((await signedNotice(base)).body.matched).toBe(false);
    const reused = await signedNotice({ ...base, toAccount: order.virtualAccount });
    expect(reused.status).toBe(409);
    expect(reused.body).toMatchObject({ error: { code: 'IDEMPOTENCY_KEY_REUSED' } });
    expect((await orderRow(order.id))?.state).toBe('awaiting_payment');
  });

  it('refuses a bad HMAC, a missing signature, a tampered body and a stale timestamp with 401, writing nothing', async () => {
    const order = await selectedOrder();
    const notice = {
      noticeId: `BANK-${randomUUID()}`,
      toAccount: order.virtualAccount,
      amount: 22,
      transferredAt: '2020-03-20T09:59:00+08:00',
    };
    const raw = JSON.stringify(notice);
    const ts = unixSeconds(t.deps.clock.now());
    const attempts = [
      await signedNotice(notice, { secret: 'not-the-bank' }),
      await api.call('POST', '/api/v1/partners/bank/notices', {
        raw,
        headers: { 'content-type': 'application/json' },
      }),
      await api.call('POST', '/api/v1/partners/bank/notices', {
        raw: raw.replace('"amount":22', '"amount":2200'),
        headers: {
          'content-type': 'application/json',
          [BANK_TIMESTAMP_HEADER]: ts,
          [BANK_SIGNATURE_HEADER]: signBankNotice(t.deps.config.bankNoticeSecret, ts, raw),
        },
      }),
      await signedNotice(notice, { timestamp: String(Number(ts) - 10 * 60) }),
      await signedNotice(notice, { timestamp: String(Number(ts) + 10 * 60) }),
      await api.call('POST', '/api/v1/partners/bank/notices', {
        raw,
        headers: {
          'content-type': 'application/json',
          [BANK_TIMESTAMP_HEADER]: ts,
          [BANK_SIGNATURE_HEADER]: 'v1=zz',
        },
      }),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ error: { code: 'AUTH_FAILED' } });
    }
    expect(await t.sql`select 1 from bank_notices where notice_id = ${notice.noticeId}`).toHaveLength(0);
    expect((await orderRow(order.id))?.state).toBe('awaiting_payment');
  });

  it('answers 400 for a signed notice that is not valid JSON or misses fields', async () => {
    expect((await signedNotice({}, { raw: '{"noticeId": ' })).status).toBe(400);
    const missing = await signedNotice({ noticeId: 'BANK-x', amount: 22 });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });
});

describe('notices applied together (one transaction per batch of concurrent notices)', () => {
  const winner = () => drawWinner(w);
  const at = '2020-03-20T09:59:00+08:00';
  const queuedSms = (orderId: number) => queuedPickupSms(t.sql, orderId);
  const notice = (toAccount: string, amount = 22, noticeId = `BANK-${randomUUID()}`) => ({
    noticeId,
    toAccount,
    amount,
    transferredAt: at,
  });

  it('answers each of many concurrent notices as if alone, and pays each winner once', async () => {
    const payers = await Promise.all(Array.from({ length: 8 }, () => winner()));
    const wrongAmount = await winner();
    const notSelected = await selectedOrder({ state: 'registered' });
    const legacy = await selectedOrder(); // stored awaiting_payment with its account (older rows)
    const payerNotices = payers.map((o) => notice(o.virtualAccount));
    const replayed = payerNotices[0] as ReturnType<typeof notice>;
    const reusedId = `BANK-${randomUUID()}`;
    const cases: { body: Record<string, unknown>; expect: (r: { status: number; body: unknown }) => void }[] =
      [
        ...payers.map((o, i) => ({
          body: payerNotices[i] as ReturnType<typeof notice>,
          expect: (r: { status: number; body: unknown }) =>
            expect(r.body).toMatchObject({ matched: true, orderId: o.id, reason: null }),
        })),
        {
          body: notice(legacy.virtualAccount as string),
          expect: (r) => expect(r.body).toMatchObject({ matched: true, orderId: legacy.id, reason: null }),
        },
        {
          body: notice(wrongAmount.virtualAccount, 21),
          expect: (r) =>
            expect(r.body).toMatchObject({
              matched: false,
              orderId: wrongAmount.id,
              reason: 'amount_mismatch',
            }),
        },
        {
          // A valid account number of an order that was not selected: no such personal account.
          body: notice(virtualAccount(roundId, notSelected.id)),
          expect: (r) =>
            expect(r.body).toMatchObject({ matched: false, orderId: null, reason: 'unknown_account' }),
        },
        {
          body: notice('9609990000000001'),
          expect: (r) =>
            expect(r.body).toMatchObject({ matched: false, orderId: null, reason: 'unknown_account' }),
        },
        {
          // The right order id under another round's number: not this order's account.
          body: notice(virtualAccount(roundId + 1, payers[1]?.id as number)),
          expect: (r) =>
            expect(r.body).toMatchObject({ matched: false, orderId: null, reason: 'unknown_account' }),
        },
        // The same notice three more times at once: answered like the first, paying nothing more.
        ...[0, 1, 2].map(() => ({
          body: replayed,
          expect: (r: { status: number; body: unknown }) =>
            expect(r.body).toMatchObject({
              noticeId: replayed.noticeId,
              matched: true,
              orderId: payers[0]?.id,
            }),
        })),
        // One id with two contents at once (neither may pay: two different transfers for one order
        // at once pay it once, whichever commits first — tested on its own above).
        { body: notice(wrongAmount.virtualAccount, 20, reusedId), expect: () => {} },
        { body: notice(wrongAmount.virtualAccount, 21, reusedId), expect: () => {} },
      ];
    const replies = await Promise.all(cases.map((c) => signedNotice(c.body)));
    replies.forEach((r, i) => {
      if (i < cases.length - 2) expect(r.status).toBe(200);
      cases[i]?.expect(r);
    });
    // The same id with two contents at once: one is applied, the other refused.
    const pair = replies.slice(-2);
    expect(pair.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(pair.find((r) => r.status === 409)?.body).toMatchObject({
      error: { code: 'IDEMPOTENCY_KEY_REUSED' },
    });

    for (const o of [...payers, legacy]) {
      const row = await orderRow(o.id);
      expect(row?.state).toBe('paid');
      expect(row?.payment_method).toBe('atm');
      expect(row?.pickup_serial).toMatch(SERIAL);
      const sms = await queuedSms(o.id);
      expect(sms).toHaveLength(1);
      expect(sms[0]?.body).toContain(row?.pickup_serial as string);
      // The order's phone, copied in SQL as stored (sealed at rest, issue 6).
      const to = sms[0]?.recipient ?? '';
      expect(Vault.isSealed(to) ? t.deps.vault.open('phone', to) : to).toBe(o.phone);
      const [audits] = await t.sql<{ n: number }[]>`
        select count(*)::int as n from audit_log where action = 'order.paid' and subject = ${`order:${o.id}`}`;
      expect(audits?.n).toBe(1);
    }
    // A winner the wrong amount did not pay is still awaiting payment (state derived, migration 0084).
    expect((await orderRow(wrongAmount.id))?.state).toBe('awaiting_payment');
    expect((await orderRow(notSelected.id))?.state).toBe('registered');
    expect(await queuedSms(wrongAmount.id)).toHaveLength(0);
    const ids = [...new Set(cases.map((c) => c.body.noticeId as string))];
    const stored = await t.sql<{ notice_id: string; matched: boolean }[]>`
      select notice_id, matched from bank_notices where notice_id = any(${ids})`;
    expect(stored).toHaveLength(ids.length);
    // Each notice is its own append-only record (migration 0083).
    await expect(t.sql`update bank_notices set matched = true where notice_id = any(${ids})`).rejects.toThrow(
      /append-only/,
    );
    await expect(t.sql`delete from bank_notices where notice_id = any(${ids})`).rejects.toThrow(
      /append-only/,
    );
    expect(await t.sql`select 1 from bank_notices where notice_id = any(${ids})`).toHaveLength(ids.length);
  });

  it('one batch with repeated ids and two notices for one order answers each like the notices one by one', async () => {
    const order = await winner();
    const other = await winner();
    const now = t.deps.clock.now();
    const prepared = (noticeId: string, account: string, amount = 22) => ({
      noticeId,
      fingerprint: fingerprintOf(noticeId, account, amount, new Date(at).toISOString()),
      account,
      amount,
      transferredAt: new Date(at),
      now,
      orderId: parseVirtualAccount(account)?.orderId ?? null,
    });
    const [a, b, c] = [`BANK-${randomUUID()}`, `BANK-${randomUUID()}`, `BANK-${randomUUID()}`];
    const answers = await applyNoticeBatch(t.sql, [
      prepared(a, order.virtualAccount),
      prepared(a, order.virtualAccount), // the same notice again
      prepared(b, order.virtualAccount), // another transfer to the same order
      prepared(c, other.virtualAccount, 21),
      prepared(c, other.virtualAccount), // the same id with other content
    ]);
    expect(answers).toEqual([
      { outcome: { noticeId: a, matched: true, orderId: order.id, reason: null }, paid: true },
      { outcome: { noticeId: a, matched: true, orderId: order.id, reason: null }, paid: false },
      { outcome: { noticeId: b, matched: false, orderId: order.id, reason: 'already_paid' }, paid: false },
      { outcome: { noticeId: c, matched: false, orderId: other.id, reason: 'amount_mismatch' }, paid: false },
      { error: expect.objectContaining({ code: 'IDEMPOTENCY_KEY_REUSED' }) },
    ]);
    // Replayed in a later batch: the first outcomes, nothing paid again.
    const again = await applyNoticeBatch(t.sql, [
      prepared(b, order.virtualAccount),
      prepared(a, order.virtualAccount),
    ]);
    expect(again.map((x) => ('outcome' in x ? x.outcome.reason : 'error'))).toEqual(['already_paid', null]);
    expect((await orderRow(order.id))?.state).toBe('paid');
    expect((await orderRow(other.id))?.state).toBe('awaiting_payment');
    expect(await queuedSms(order.id)).toHaveLength(1);
    const stored = await t.sql`select 1 from bank_notices where notice_id = any(${[a, b, c]})`;
    expect(stored).toHaveLength(3);
  });

  it('a winner paid by card and by ATM at the same moment is paid once', async () => {
    const order = await winner();
    const token = await citizenToken(t.sql, order.personId, 'web_card', t.deps.clock.now());
    const card = { cardNumber: '4111 1111 1111 1111', expiry: '12/25', cvc: '123', holder: 'Someone' };
    const [byCard, ...byAtm] = await Promise.all([
      api.post<Record<string, unknown>>(`/api/v1/orders/${order.id}/payments/card`, card, { token }),
      signedNotice(notice(order.virtualAccount)),
      signedNotice(notice(order.virtualAccount)),
    ]);
    const successes = [byCard.status === 201, ...byAtm.map((a) => a.body.matched === true)].filter(Boolean);
    expect(successes).toHaveLength(1);
    for (const a of byAtm) if (a.body.matched !== true) expect(a.body.reason).toBe('already_paid');
    if (byCard.status !== 201) expect(byCard.body).toMatchObject({ error: { code: 'ALREADY_PAID' } });
    expect((await orderRow(order.id))?.state).toBe('paid');
    expect(await queuedSms(order.id)).toHaveLength(1);
  });
});

describe('simulators off', () => {
  it('answers 404 for the simulated bank', async () => {
    const off = await startTestApp({ SIMULATORS: 'off' });
    try {
      const res = await client(off.url).post('/api/v1/sim/bank/transfers', { toAccount: '1', amount: 22 });
      expect(res.status).toBe(404);
    } finally {
      await off.close();
    }
  });
});
