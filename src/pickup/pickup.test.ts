// Over 300 lines: slip, hand-over, exchange and store authorization share the per-test paid-order set-up.
import { randomUUID } from 'node:crypto';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createOrderInState,
  createPharmacy,
  createRound,
  createStore,
  issueCard,
  orderPaymentOf,
  randomNationalId,
  setClock,
  type TestCard,
  type TestOrder,
} from '../../test/support/factories.js';
import { setUpTestApp } from '../../test/support/fixture.js';
import { insertPurchase } from '../purchases/purchases.repo.js';
import { maskId } from '../rules/ids.js';

// Round 1 of the seeds: pickup 3/26 – 4/1.
const DAY_2 = '2020-03-27T10:00:00+08:00';

const t = setUpTestApp();
const api = t.api;
let admin: string;
let roundId: number;
let storeA: { id: number; apiKey: string };
let storeB: { id: number; apiKey: string };
let pharmacy: { code: string; apiKey: string };

beforeAll(async () => {
  await setClock(api, DAY_2);
  admin = await t.admin();
  roundId = (await createRound(api, admin)).id;
  storeA = await createStore(api, admin, { chain: '7-11', name: '統一超商忠孝門市' });
  storeB = await createStore(api, admin, { chain: 'OK', name: 'OK超商中山店' });
  pharmacy = await createPharmacy(api, admin);
});
beforeEach(async () => {
  await setClock(api, DAY_2);
});

async function paidOrder(
  overrides: Partial<Parameters<typeof createOrderInState>[1]> & { name?: string } = {},
): Promise<TestOrder & { card: TestCard; serial: string }> {
  const card = await issueCard(api, admin, { name: overrides.name ?? '王小明' });
  const order = await createOrderInState(t, {
    roundId,
    personId: card.personId,
    storeId: storeA.id,
    state: 'paid',
    now: new Date('2020-03-20T10:00:00+08:00'),
    ...overrides,
  });
  return { ...order, card, serial: order.pickupSerial as string };
}

type Body = Record<string, unknown>;
const slip = (
  storeId: number,
  key: string | undefined,
  serial: string,
  headers: Record<string, string> = {},
) => api.post<Body>(`/api/v1/stores/${storeId}/pickup-slips`, { serial }, { token: key, headers });
const pickup = (storeId: number, key: string | undefined, body: Body, headers: Record<string, string> = {}) =>
  api.post<Body>(`/api/v1/stores/${storeId}/pickups`, body, { token: key, headers });
const exchange = (storeId: number, key: string | undefined, body: Body) =>
  api.post<Body>(`/api/v1/stores/${storeId}/exchanges`, body, { token: key });

const idCard = (card: TestCard) => ({ type: 'id_card', number: card.nationalId });
const stateOf = async (orderId: number) => (await orderPaymentOf(t.sql, orderId))?.state;

describe('pickup slip', () => {
  it('prints a slip for a paid order at its store, with the buyer name masked', async () => {
    const order = await paidOrder();
    const typed = `${order.serial.slice(0, 6).toLowerCase()}-${order.serial.slice(6)}`;
    const res = await slip(storeA.id, storeA.apiKey, typed);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ orderId: order.id, buyerNameMasked: '王○明', packs: 1, amount: 22 });
    expect(await t.sql`select store_id from pickup_slips where order_id = ${order.id}`).toEqual([
      { store_id: storeA.id },
    ]);
  });

  it('refuses with UNKNOWN_SERIAL, WRONG_STORE, OUTSIDE_PICKUP_WINDOW, FORFEITED and ALREADY_COLLECTED', async () => {
    const order = await paidOrder();
    const collected = await paidOrder({
      state: 'collected',
      collectedAt: new Date('2020-03-26T12:00:00+08:00'),
    });
    const expectRefusal = async (res: { status: number; body: Body }, status: number, code: string) => {
      expect(res.status).toBe(status);
      expect(res.body).toMatchObject({ error: { code } });
    };
    await expectRefusal(await slip(storeA.id, storeA.apiKey, 'ZZZZZZZZZZZZ'), 404, 'UNKNOWN_SERIAL');
    await expectRefusal(await slip(storeA.id, storeA.apiKey, 'not a serial'), 404, 'UNKNOWN_SERIAL');
    const wrong = await slip(storeB.id, storeB.apiKey, order.serial);
    await expectRefusal(wrong, 422, 'WRONG_STORE');
    expect(wrong.body).toMatchObject({
      error: { store: { id: storeA.id, chain: '7-11', name: '統一超商忠孝門市' } },
    });
    await expectRefusal(await slip(storeA.id, storeA.apiKey, collected.serial), 409, 'ALREADY_COLLECTED');

    await setClock(api, '2020-03-25T23:59:59+08:00');
    const early = await slip(storeA.id, storeA.apiKey, order.serial);
    await expectRefusal(early, 409, 'OUTSIDE_PICKUP_WINDOW');
    expect(early.body).toMatchObject({ error: { pickupStartsOn: '2020-03-26', pickupEndsOn: '2020-04-01' } });
    await setClock(api, '2020-04-02T00:00:00+08:00');
    await expectRefusal(await slip(storeA.id, storeA.apiKey, order.serial), 409, 'FORFEITED');
    await setClock(api, '2020-04-01T23:59:59+08:00');
    expect((await slip(storeA.id, storeA.apiKey, order.serial)).status).toBe(201);
  });

  it('refuses with NOT_YET_ELIGIBLE and collectableFrom after a pharmacy purchase less than 7 days before', async () => {
    // Seeds [ORD 21.5 case 2]: paid 3/20, bought at a pharmacy on 3/22 → collect from 3/29.
    const order = await paidOrder();
    await insertPurchase(t.sql, {
      personId: order.personId,
      passportNo: null,
      channel: 'pharmacy',
      placeRef: pharmacy.code,
      placeName: '測試藥局',
      item: 'adult',
      packs: 1,
      masks: 3,
      amount: 15,
      currency: 'TWD',
      at: new Date('2020-03-22T10:00:00+08:00'),
      day: '2020-03-22',
    });
    const refused = await slip(storeA.id, storeA.apiKey, order.serial);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      error: { code: 'NOT_YET_ELIGIBLE', collectableFrom: '2020-03-29' },
    });
    const handOver = await pickup(storeA.id, storeA.apiKey, {
      serial: order.serial,
      buyerDocument: idCard(order.card),
    });
    expect(handOver.status).toBe(409);
    expect(handOver.body).toMatchObject({
      error: { code: 'NOT_YET_ELIGIBLE', collectableFrom: '2020-03-29' },
    });
    expect(await stateOf(order.id)).toBe('paid');

    await setClock(api, '2020-03-29T09:00:00+08:00');
    expect((await slip(storeA.id, storeA.apiKey, order.serial)).status).toBe(201);
    expect(
      (await pickup(storeA.id, storeA.apiKey, { serial: order.serial, buyerDocument: idCard(order.card) }))
        .status,
    ).toBe(201);
  });
});

describe('hand-over', () => {
  it.each([
    ['id_card', (c: TestCard) => c.nationalId.toLowerCase()],
    ['nhi_card', (c: TestCard) => c.cardNo],
    ['driver_license', (c: TestCard) => c.nationalId],
  ] as const)('hands the order over against the buyer’s %s and records it', async (type, number) => {
    const order = await paidOrder();
    const res = await pickup(storeA.id, storeA.apiKey, {
      serial: order.serial,
      buyerDocument: { type, number: number(order.card) },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      orderId: order.id,
      status: 'collected',
      packs: 1,
      amount: 22,
      byProxy: false,
    });
    const [row] = await t.sql`select state, collected_at from orders where id = ${order.id}`;
    expect(row).toEqual({ state: 'collected', collected_at: new Date(DAY_2) });
    const [record] =
      await t.sql`select store_id, buyer_document_type, proxy_document_type from pickups where order_id = ${order.id}`;
    expect(record).toEqual({ store_id: storeA.id, buyer_document_type: type, proxy_document_type: null });
  });

  it('refuses a document that is not the buyer’s with 422 DOCUMENT_MISMATCH, writing nothing', async () => {
    const order = await paidOrder();
    const oldCardNo = order.card.cardNo;
    const reissued = await issueCard(api, admin, { nationalId: order.card.nationalId, name: '王小明' });
    const cases = [
      { type: 'id_card', number: randomNationalId() },
      { type: 'driver_license', number: randomNationalId() },
      { type: 'nhi_card', number: oldCardNo }, // revoked by the reissue
      { type: 'nhi_card', number: '000000000001' },
    ];
    for (const buyerDocument of cases) {
      const res = await pickup(storeA.id, storeA.apiKey, { serial: order.serial, buyerDocument });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ error: { code: 'DOCUMENT_MISMATCH' } });
    }
    expect(await stateOf(order.id)).toBe('paid');
    expect(await t.sql`select 1 from pickups where order_id = ${order.id}`).toHaveLength(0);
    const ok = await pickup(storeA.id, storeA.apiKey, {
      serial: order.serial,
      buyerDocument: { type: 'nhi_card', number: reissued.cardNo },
    });
    expect(ok.status).toBe(201);
  });

  it('lets a proxy collect with the buyer’s serial and document plus their own, keeping only a masked number', async () => {
    const order = await paidOrder();
    const proxyId = randomNationalId();
    const refusedSame = await pickup(storeA.id, storeA.apiKey, {
      serial: order.serial,
      buyerDocument: idCard(order.card),
      proxyDocument: { type: 'driver_license', number: order.card.nationalId },
    });
    expect(refusedSame.status).toBe(422);
    expect(refusedSame.body).toMatchObject({
      error: { code: 'DOCUMENT_MISMATCH', document: 'proxy', reason: 'is_buyer' },
    });
    const malformed = await pickup(storeA.id, storeA.apiKey, {
      serial: order.serial,
      buyerDocument: idCard(order.card),
      proxyDocument: { type: 'id_card', number: 'A123456788' },
    });
    expect(malformed.status).toBe(422);
    expect(malformed.body).toMatchObject({ error: { code: 'DOCUMENT_MISMATCH', reason: 'malformed' } });
    const withoutBuyers = await pickup(storeA.id, storeA.apiKey, {
      serial: order.serial,
      buyerDocument: { type: 'id_card', number: proxyId },
      proxyDocument: { type: 'id_card', number: proxyId },
    });
    expect(withoutBuyers.status).toBe(422);
    expect(await stateOf(order.id)).toBe('paid');

    const res = await pickup(storeA.id, storeA.apiKey, {
      serial: order.serial,
      buyerDocument: { type: 'nhi_card', number: order.card.cardNo },
      proxyDocument: { type: 'id_card', number: proxyId },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ byProxy: true });
    const [record] =
      await t.sql`select proxy_document_type, proxy_document_masked from pickups where order_id = ${order.id}`;
    expect(record).toEqual({ proxy_document_type: 'id_card', proxy_document_masked: maskId(proxyId) });
    expect(JSON.stringify(await t.sql`select * from pickups where order_id = ${order.id}`)).not.toContain(
      proxyId,
    );
  });

  it('hands over a serial exactly once when clerks try at the same moment', async () => {
    const order = await paidOrder();
    const body = { serial: order.serial, buyerDocument: idCard(order.card) };
    const results = await Promise.all(
      Array.from({ length: 6 }, () => pickup(storeA.id, storeA.apiKey, body)),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of results.filter((x) => x.status !== 201)) {
      expect(r.status).toBe(409);
      expect(r.body).toMatchObject({ error: { code: 'ALREADY_COLLECTED' } });
    }
    expect(await t.sql`select 1 from pickups where order_id = ${order.id}`).toHaveLength(1);
    const audits =
      await t.sql`select 1 from audit_log where action = 'order.collected' and subject = ${`order:${order.id}`}`;
    expect(audits).toHaveLength(1);
  });

  it('replays the first answer for a retried Idempotency-Key and does nothing twice', async () => {
    const order = await paidOrder();
    const key = randomUUID();
    const body = { serial: order.serial, buyerDocument: idCard(order.card) };
    const first = await pickup(storeA.id, storeA.apiKey, body, { 'idempotency-key': key });
    const retry = await pickup(storeA.id, storeA.apiKey, body, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const fresh = await pickup(storeA.id, storeA.apiKey, body, { 'idempotency-key': randomUUID() });
    expect(fresh.body).toMatchObject({ error: { code: 'ALREADY_COLLECTED' } });
  });
});

describe('exchange of damaged masks', () => {
  async function collectedAtA(): Promise<TestOrder & { serial: string }> {
    const order = await paidOrder();
    const res = await pickup(storeA.id, storeA.apiKey, {
      serial: order.serial,
      buyerDocument: idCard(order.card),
    });
    expect(res.status).toBe(201);
    return order;
  }

  it('exchanges one whole pack on the day of collection, and no more than was collected', async () => {
    const order = await collectedAtA();
    await setClock(api, '2020-03-27T23:59:00+08:00');
    const res = await exchange(storeA.id, storeA.apiKey, { serial: order.serial, packs: 1 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ orderId: order.id, packs: 1, masks: 3 });
    const again = await exchange(storeA.id, storeA.apiKey, { serial: order.serial, packs: 1 });
    expect(again.status).toBe(422);
    expect(again.body).toMatchObject({ error: { code: 'EXCHANGE_EXCEEDS_COLLECTED', maxPacks: 0 } });
    expect(await t.sql`select packs from exchanges where order_id = ${order.id}`).toEqual([{ packs: 1 }]);
  });

  it('refuses more packs than collected, parts of packs, another day, another store and an order not collected', async () => {
    const order = await collectedAtA();
    const two = await exchange(storeA.id, storeA.apiKey, { serial: order.serial, packs: 2 });
    expect(two.status).toBe(422);
    expect(two.body).toMatchObject({ error: { code: 'EXCHANGE_EXCEEDS_COLLECTED', maxPacks: 1 } });
    for (const packs of [0, 1.5, -1]) {
      const res = await exchange(storeA.id, storeA.apiKey, { serial: order.serial, packs });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    }
    const elsewhere = await exchange(storeB.id, storeB.apiKey, { serial: order.serial, packs: 1 });
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body).toMatchObject({ error: { code: 'WRONG_STORE' } });
    const notCollected = await paidOrder();
    const nc = await exchange(storeA.id, storeA.apiKey, { serial: notCollected.serial, packs: 1 });
    expect(nc.status).toBe(409);
    expect(nc.body).toMatchObject({ error: { code: 'NOT_COLLECTED' } });
    expect((await exchange(storeA.id, storeA.apiKey, { serial: 'ZZZZZZZZZZZZ', packs: 1 })).status).toBe(404);

    await setClock(api, '2020-03-28T00:00:00+08:00');
    const nextDay = await exchange(storeA.id, storeA.apiKey, { serial: order.serial, packs: 1 });
    expect(nextDay.status).toBe(409);
    expect(nextDay.body).toMatchObject({ error: { code: 'EXCHANGE_CLOSED', collectedOn: '2020-03-27' } });
    expect(await t.sql`select 1 from exchanges where order_id = ${order.id}`).toHaveLength(0);
  });
});

describe('store authorization', () => {
  it('refuses calls without a key, with another store’s key, a pharmacy key or an operator token, writing nothing', async () => {
    const order = await paidOrder();
    const collected = await paidOrder({ state: 'collected', collectedAt: new Date(DAY_2) });
    const counts = async () =>
      t.sql`select (select count(*)::int from pickup_slips) as slips, (select count(*)::int from pickups) as pickups,
                   (select count(*)::int from exchanges) as exchanges,
                   (select count(*)::int from idempotency_keys) as keys`;
    const before = await counts();
    const calls = [
      (key: string | undefined) => slip(storeA.id, key, order.serial, { 'idempotency-key': randomUUID() }),
      (key: string | undefined) =>
        pickup(
          storeA.id,
          key,
          { serial: order.serial, buyerDocument: idCard(order.card) },
          { 'idempotency-key': randomUUID() },
        ),
      (key: string | undefined) => exchange(storeA.id, key, { serial: collected.serial, packs: 1 }),
    ];
    for (const call of calls) {
      expect((await call(undefined)).status).toBe(401);
      expect((await call('pk_store_not-a-key')).status).toBe(401);
      expect((await call(admin)).status).toBe(401);
      const other = await call(storeB.apiKey);
      expect(other.status).toBe(403);
      expect(other.body).toMatchObject({ error: { code: 'FORBIDDEN' } });
      expect((await call(pharmacy.apiKey)).status).toBe(403);
    }
    expect(await counts()).toEqual(before);
    expect(await stateOf(order.id)).toBe('paid');
  });
});
