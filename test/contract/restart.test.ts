/**
 * API.md "Process and environment": everything acknowledged survives a restart: orders,
 * payments, sales, sessions, idempotency records, outbox messages, and the manual clock's
 * setting. The first server stops, a second one starts on the same database, and everything is
 * read back over HTTP.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  adminLogin,
  createPharmacy,
  createRound,
  createStore,
  issueCard,
  loginWithCard,
  randomPhone,
  registerCard,
  setClock,
} from '../support/factories.js';
import { client } from '../support/http.js';
import { cardInReader, outbox } from './kit.js';

// Not setUpTestApp: the test stops its server and starts a second one on the same database.
let first: TestApp | undefined;
let second: TestApp | undefined;

afterAll(async () => {
  await first?.close();
  await second?.close();
});

describe('a restart', () => {
  it('keeps orders, payments, sales, sessions, idempotency records, outbox messages and the clock', async () => {
    first = await startTestApp();
    const api = client(first.url);
    await setClock(api, '2020-03-12T10:00:00+08:00');
    let admin = await adminLogin(api);
    const store = await createStore(api, admin);
    const round = await createRound(api, admin);
    const pharmacy = await createPharmacy(api, admin);
    await api.put(
      `/api/v1/pharmacies/${pharmacy.code}/stock`,
      { adult: 30, child: 50 },
      { token: pharmacy.apiKey },
    );
    const card = await issueCard(api, admin);
    await registerCard(api, card);
    const phone = randomPhone();
    const email = 'restart@example.com';
    let token = await loginWithCard(api, card);
    const placed = await api.put<{ order: { id: number } }>(
      `/api/v1/rounds/${round.id}/order`,
      { storeId: store.id, phone, email },
      { token },
    );
    expect(placed.status).toBe(200);

    await setClock(api, '2020-03-18T20:30:00+08:00');
    admin = await adminLogin(api);
    const draw = await api.post(
      `/api/v1/admin/rounds/${round.id}/draw`,
      { seed: 'abc123' },
      { token: admin },
    );
    expect(draw.status).toBe(200);

    await setClock(api, '2020-03-19T10:00:00+08:00');
    token = await loginWithCard(api, card);
    admin = await adminLogin(api);
    const account = (await api.get<{ orders: { virtualAccount: string }[] }>('/api/v1/me/orders', { token }))
      .body.orders[0]?.virtualAccount as string;
    const paid = await api.post<{ matched: boolean }>('/api/v1/sim/bank/transfers', {
      toAccount: account,
      amount: 22,
    });
    expect(paid.body.matched).toBe(true);

    // A pharmacy sale with an Idempotency-Key, on a Sunday (open to every ID).
    await setClock(api, '2020-03-22T09:00:00+08:00');
    token = await loginWithCard(api, card);
    admin = await adminLogin(api);
    const buyer = await issueCard(api, admin);
    const saleBody = { cardNo: buyer.cardNo, ...(await cardInReader(api, buyer)), item: 'adult' };
    const sale = await api.post(`/api/v1/pharmacies/${pharmacy.code}/sales`, saleBody, {
      token: pharmacy.apiKey,
      headers: { 'idempotency-key': 'restart-sale-1' },
    });
    expect(sale.status, sale.text).toBe(201);

    await setClock(api, '2020-03-22T11:22:33+08:00');
    const ordersBefore = await api.get('/api/v1/me/orders', { token });
    const messagesBefore = [...(await outbox(api, email)), ...(await outbox(api, phone))];
    expect(messagesBefore.map((m) => m.channel).sort()).toEqual(['email', 'sms']);
    const drawBefore = await api.get(`/api/v1/rounds/${round.id}/draw`);

    const databaseUrl = first.databaseUrl;
    await first.close();
    first = undefined;
    second = await startTestApp({ DATABASE_URL: databaseUrl });
    const again = client(second.url);

    const clock = await again.get<{ now: string }>('/api/v1/sim/clock');
    expect(Date.parse(clock.body.now)).toBe(Date.parse('2020-03-22T11:22:33+08:00'));
    // The citizen's and the operator's sessions are still good.
    const ordersAfter = await again.get('/api/v1/me/orders', { token });
    expect(ordersAfter.status).toBe(200);
    expect(ordersAfter.body).toEqual(ordersBefore.body);
    expect(
      (await again.post('/api/v1/admin/airport-counters', { name: 'after restart' }, { token: admin }))
        .status,
    ).toBe(201);
    // The idempotency record: the retry answers the first sale and sells nothing more.
    const retry = await again.post(`/api/v1/pharmacies/${pharmacy.code}/sales`, saleBody, {
      token: pharmacy.apiKey,
      headers: { 'idempotency-key': 'restart-sale-1' },
    });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(sale.body);
    const geo = await again.get<{ features: { properties: { code: string; adult: number } }[] }>(
      '/api/v1/open-data/pharmacy-stock.json',
    );
    expect(geo.body.features.find((f) => f.properties.code === pharmacy.code)?.properties.adult).toBe(27);
    // Outbox messages and the draw.
    const messagesAfter = [...(await outbox(again, email)), ...(await outbox(again, phone))];
    expect(messagesAfter).toEqual(messagesBefore);
    expect((await again.get(`/api/v1/rounds/${round.id}/draw`)).body).toEqual(drawBefore.body);
    // The sale is in the buyer's record.
    await registerCard(again, buyer);
    const buyerToken = await loginWithCard(again, buyer);
    const record = await again.get<{ purchases: { channel: string }[] }>('/api/v1/me/purchases', {
      token: buyerToken,
    });
    expect(record.body.purchases.map((p) => p.channel)).toEqual(['pharmacy']);
  });
});
