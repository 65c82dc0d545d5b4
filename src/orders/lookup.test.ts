import { beforeAll, describe, expect, it } from 'vitest';
import {
  adminLogin,
  citizenToken,
  createRound,
  createStore,
  issueCard,
  randomNationalId,
  setClock,
  type TestCard,
} from '../../test/support/factories.js';
import { setUpTestApp } from '../../test/support/fixture.js';
import { virtualAccount } from '../rules/virtual-account.js';

// The bank is configuration: the answer shows what the operator set, not a constant.
const t = setUpTestApp({ PAYMENT_BANK_CODE: '812', PAYMENT_BANK_NAME: '台新銀行' });
const api = t.api;
let roundId: number;
let storeId: number;
let buyer: TestCard;
let orderId: number;

const lookup = (nationalId: string, phoneLast3: string) =>
  api.post<{ orders: Record<string, unknown>[] }>('/api/v1/orders/lookup', { nationalId, phoneLast3 });

beforeAll(async () => {
  await setClock(api, '2020-03-12T10:00:00+08:00');
  let admin = await t.admin();
  roundId = (await createRound(api, admin, { name: 'lookup-test' })).id;
  storeId = (await createStore(api, admin, { chain: 'OK', name: 'OK 測試店', address: '臺北市信義區1號' }))
    .id;
  buyer = await issueCard(api, admin, { name: '查詢測試' });
  const token = await citizenToken(t.sql, buyer.personId, 'web_card', t.deps.clock.now());
  const res = await api.put<{ order: { id: number } }>(
    `/api/v1/rounds/${roundId}/order`,
    { storeId, phone: '0912345678', email: 'lookup@example.com' },
    { token },
  );
  orderId = res.body.order.id;
  await setClock(api, '2020-03-18T20:00:00+08:00');
  admin = await adminLogin(api);
  const drawn = await api.post(`/api/v1/admin/rounds/${roundId}/draw`, { seed: 'abcdef' }, { token: admin });
  if (drawn.status !== 200) throw new Error(`draw: ${drawn.status} ${drawn.text}`);
});

describe('POST /orders/lookup', () => {
  it('finds the order by ID and the last 3 digits of its mobile number, without personal data', async () => {
    await setClock(api, '2020-03-20T10:00:00+08:00');
    const res = await lookup(buyer.nationalId.toLowerCase(), '678');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      orders: [
        {
          roundId,
          roundName: 'lookup-test',
          status: 'awaiting_payment',
          amount: 22,
          virtualAccount: virtualAccount(roundId, orderId),
          bank: { code: '812', name: '台新銀行' },
          paymentClosesAt: '2020-03-25T20:00:00+08:00',
          store: {
            id: storeId,
            chain: 'OK',
            storeNo: expect.any(String),
            name: 'OK 測試店',
            address: '臺北市信義區1號',
          },
          pickupStartsOn: '2020-03-26',
          pickupEndsOn: '2020-04-01',
        },
      ],
    });
    for (const secret of ['查詢測試', '0912345678', 'lookup@example.com', buyer.nationalId]) {
      expect(res.text).not.toContain(secret);
    }
  });

  it('answers a wrong pair exactly like a person without orders', async () => {
    await setClock(api, '2020-03-20T11:00:00+08:00');
    const wrongDigits = await lookup(buyer.nationalId, '679');
    const unknownId = await lookup(randomNationalId(), '678');
    const admin = await adminLogin(api);
    const noOrders = await issueCard(api, admin);
    const withoutOrders = await lookup(noOrders.nationalId, '678');
    for (const res of [wrongDigits, unknownId, withoutOrders]) {
      expect(res.status).toBe(200);
      expect(res.text).toBe('{"orders":[]}');
    }
    const bad = await api.post('/api/v1/orders/lookup', { nationalId: buyer.nationalId, phoneLast3: '12' });
    expect(bad.status).toBe(400);
  });

  it('shows the new store once the chosen store has closed', async () => {
    await setClock(api, '2020-03-20T12:00:00+08:00');
    const admin = await adminLogin(api);
    const other = await createStore(api, admin, { chain: '7-11', name: '7-11 新店' });
    const closed = await api.post(
      `/api/v1/admin/stores/${storeId}/close`,
      { reassignTo: other.id },
      { token: admin },
    );
    expect(closed.status).toBe(200);
    const res = await lookup(buyer.nationalId, '678');
    expect(res.body.orders[0]?.store).toMatchObject({ id: other.id, chain: '7-11', name: '7-11 新店' });
  });

  it('refuses every try for an ID after 10 failures in an hour; successful look-ups are not counted', async () => {
    await setClock(api, '2020-03-21T10:00:00+08:00');
    for (let i = 0; i < 9; i++) expect((await lookup(buyer.nationalId, '000')).status).toBe(200);
    for (let i = 0; i < 20; i++) {
      const ok = await lookup(buyer.nationalId, '678');
      expect(ok.status).toBe(200);
      expect(ok.body.orders).toHaveLength(1);
    }
    expect((await lookup(buyer.nationalId, '001')).status).toBe(200); // the 10th failure
    const refused = await lookup(buyer.nationalId, '678');
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ error: { code: 'TOO_MANY_REQUESTS' } });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    // Other IDs are not affected; the stored buckets do not contain the ID.
    expect((await lookup(randomNationalId(), '678')).status).toBe(200);
    const buckets = await t.sql<{ bucket: string }[]>`select bucket from rate_limit_buckets`;
    expect(buckets.some((b) => b.bucket.includes(buyer.nationalId))).toBe(false);
    await setClock(api, '2020-03-21T11:00:01+08:00');
    const later = await lookup(buyer.nationalId, '678');
    expect(later.status).toBe(200);
    expect(later.body.orders).toHaveLength(1);
  });

  it('refuses a client address after 30 failed tries in a minute', async () => {
    await setClock(api, '2020-03-22T10:00:00+08:00');
    for (let i = 0; i < 30; i++) expect((await lookup(randomNationalId(), '123')).status).toBe(200);
    const refused = await lookup(buyer.nationalId, '678');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    await setClock(api, '2020-03-22T10:01:01+08:00');
    expect((await lookup(buyer.nationalId, '678')).status).toBe(200);
  });

  it('lets no more than 10 failures through for one ID when they arrive at once', async () => {
    await setClock(api, '2020-03-23T10:00:00+08:00');
    const id = randomNationalId();
    const replies = await Promise.all(Array.from({ length: 20 }, () => lookup(id, '999')));
    expect(replies.filter((r) => r.status === 200)).toHaveLength(10);
    expect(replies.filter((r) => r.status === 429)).toHaveLength(10);
  });
});
