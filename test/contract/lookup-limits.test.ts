/**
 * API.md `POST /api/v1/orders/lookup`: a wrong pair answers exactly like "no orders"; after at
 * most 10 failed tries for one ID within an hour, or 30 failed tries a minute from one address,
 * 429 TOO_MANY_REQUESTS with Retry-After; successful look-ups are not limited this way.
 * Its own file (and so its own server and database): every test here comes from 127.0.0.1.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createRound,
  createStore,
  issueCard,
  loginWithCard,
  randomNationalId,
  randomPhone,
  registerCard,
  setClock,
} from '../support/factories.js';
import { setUpTestApp } from '../support/fixture.js';
import { expectError, expectStoreRef } from './kit.js';

const t = setUpTestApp();
const api = t.api;
let nationalId: string;
let phone: string;

beforeAll(async () => {
  await setClock(api, '2020-03-12T10:00:00+08:00');
  const admin = await t.admin();
  const store = await createStore(api, admin);
  const round = await createRound(api, admin);
  const card = await issueCard(api, admin);
  await registerCard(api, card);
  const token = await loginWithCard(api, card);
  phone = randomPhone();
  const placed = await api.put(
    `/api/v1/rounds/${round.id}/order`,
    { storeId: store.id, phone, email: 'lookup@example.com' },
    { token },
  );
  expect(placed.status, placed.text).toBe(200);
  nationalId = card.nationalId;
});

const wrongLast3 = () => String((Number(phone.slice(-3)) + 1) % 1000).padStart(3, '0');

function lookup(id: string, last3: string) {
  return api.post<{ orders: Record<string, unknown>[] }>('/api/v1/orders/lookup', {
    nationalId: id,
    phoneLast3: last3,
  });
}

function expectLimited(res: Awaited<ReturnType<typeof lookup>>): void {
  expectError(res, 429, 'TOO_MANY_REQUESTS');
  const retryAfter = Number(res.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThan(0);
}

describe('POST /api/v1/orders/lookup limits', () => {
  it('successful look-ups are not limited: 40 in a minute all answer', async () => {
    for (let i = 0; i < 40; i++) {
      const res = await lookup(nationalId, phone.slice(-3));
      expect(res.status, res.text).toBe(200);
      expect(res.body.orders).toHaveLength(1);
      expectStoreRef(res.body.orders[0]?.store);
    }
  });

  it('after at most 10 failed tries for one ID within an hour: 429 with Retry-After, even for the right pair', async () => {
    for (let i = 0; i < 10; i++) {
      const res = await lookup(nationalId, wrongLast3());
      if (res.status === 429) break;
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ orders: [] });
    }
    expectLimited(await lookup(nationalId, wrongLast3()));
    // Still within the hour (platform clock): still limited.
    await setClock(api, '2020-03-12T10:50:00+08:00');
    expectLimited(await lookup(nationalId, wrongLast3()));
    // An hour later the ID may be looked up again.
    await setClock(api, '2020-03-12T11:01:00+08:00');
    const res = await lookup(nationalId, phone.slice(-3));
    expect(res.status, res.text).toBe(200);
    expect(res.body.orders).toHaveLength(1);
  });

  it('after at most 30 failed tries a minute from one address: 429 with Retry-After', async () => {
    await setClock(api, '2020-03-12T12:00:00+08:00');
    for (let i = 0; i < 30; i++) {
      const res = await lookup(randomNationalId(), '000');
      if (res.status === 429) break;
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ orders: [] });
    }
    expectLimited(await lookup(randomNationalId(), '000'));
    await setClock(api, '2020-03-12T12:01:01+08:00');
    const res = await lookup(randomNationalId(), '000');
    expect(res.status, res.text).toBe(200);
  });
});
