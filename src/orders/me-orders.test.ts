import { beforeAll, describe, expect, it } from 'vitest';
import {
  adminLogin,
  citizenToken,
  createRound,
  createStore,
  insertTestPayment,
  issueCard,
  setClock,
} from '../../test/support/factories.js';
import { setUpTestApp } from '../../test/support/fixture.js';
import { insertPurchase } from '../purchases/purchases.repo.js';
import { virtualAccount } from '../rules/virtual-account.js';
import { markCollected } from './orders.repo.js';

interface MyOrder {
  id: number;
  roundId: number;
  status: string;
  amount: number;
  virtualAccount?: string;
  bank?: { code: string; name: string };
  payableBy?: string[];
  store: { id: number; chain: string; storeNo: string; name: string; address: string };
  pickupSerial?: string;
  pickupStartsOn: string;
  pickupEndsOn: string;
  collectableFrom?: string;
}

const t = setUpTestApp();
const api = t.api;
let roundId: number;
let smallRoundId: number;
let storeId: number;
/** person id → order id in round 1 */
const people: Record<
  'plain' | 'pharmacy22' | 'pharmacy24' | 'unpaid',
  { personId: number; orderId: number }
> = {} as never;
const small: { personId: number; orderId: number }[] = [];

async function at(iso: string): Promise<string> {
  await setClock(api, iso);
  return adminLogin(api);
}

async function myOrders(personId: number): Promise<MyOrder[]> {
  const token = await citizenToken(t.sql, personId, 'web_card', t.deps.clock.now());
  const res = await api.get<{ orders: MyOrder[] }>('/api/v1/me/orders', { token });
  if (res.status !== 200) throw new Error(`me/orders: ${res.status} ${res.text}`);
  return res.body.orders;
}

async function order(admin: string, round: number): Promise<{ personId: number; orderId: number }> {
  const card = await issueCard(api, admin);
  const token = await citizenToken(t.sql, card.personId, 'app_device', t.deps.clock.now());
  const res = await api.put<{ order: { id: number } }>(
    `/api/v1/rounds/${round}/order`,
    { storeId, phone: '0911222333', email: 'me@example.com' },
    { token },
  );
  if (res.status !== 200) throw new Error(`order: ${res.status} ${res.text}`);
  return { personId: card.personId, orderId: res.body.order.id };
}

async function pharmacyPurchase(personId: number, day: string): Promise<void> {
  await insertPurchase(t.sql, {
    personId,
    passportNo: null,
    channel: 'pharmacy',
    placeRef: '5901010101',
    placeName: '測試藥局',
    item: 'adult',
    packs: 1,
    masks: 3,
    amount: 15,
    currency: 'TWD',
    at: new Date(`${day}T10:00:00+08:00`),
    day,
  });
}

beforeAll(async () => {
  let admin = await at('2020-03-12T10:00:00+08:00');
  roundId = (await createRound(api, admin, { name: '第1輪' })).id;
  smallRoundId = (await createRound(api, admin, { name: 'small', supplyPacks: 1 })).id;
  storeId = (await createStore(api, admin, { chain: 'FamilyMart' })).id;
  for (const key of ['plain', 'pharmacy22', 'pharmacy24', 'unpaid'] as const)
    people[key] = await order(admin, roundId);
  small.push(await order(admin, smallRoundId), await order(admin, smallRoundId));
  admin = await at('2020-03-18T20:00:00+08:00');
  for (const id of [roundId, smallRoundId]) {
    const res = await api.post(`/api/v1/admin/rounds/${id}/draw`, { seed: '42' }, { token: admin });
    if (res.status !== 200) throw new Error(`draw: ${res.status} ${res.text}`);
  }
});

describe('GET /me/orders', () => {
  it('needs a signed-in citizen', async () => {
    expect((await api.get('/api/v1/me/orders')).status).toBe(401);
  });

  it('shows a registered order before the draw, with its store and pickup window', async () => {
    const admin = await at('2020-03-13T10:00:00+08:00');
    const round = await createRound(api, admin, { name: 'later' });
    const fresh = await order(admin, round.id);
    const orders = await myOrders(fresh.personId);
    expect(orders).toEqual([
      {
        id: fresh.orderId,
        roundId: round.id,
        roundName: 'later',
        status: 'registered',
        amount: 22,
        paymentOpensAt: '2020-03-19T09:00:00+08:00',
        paymentClosesAt: '2020-03-25T20:00:00+08:00',
        store: {
          id: storeId,
          chain: 'FamilyMart',
          storeNo: expect.any(String),
          name: expect.any(String),
          address: expect.any(String),
        },
        pickupStartsOn: '2020-03-26',
        pickupEndsOn: '2020-04-01',
      },
    ]);
  });

  it('shows the selected order awaiting payment with its personal account, and the loser as not selected', async () => {
    await at('2020-03-19T10:00:00+08:00');
    const [mine] = await myOrders(people.plain.personId);
    expect(mine).toMatchObject({
      id: people.plain.orderId,
      status: 'awaiting_payment',
      virtualAccount: virtualAccount(roundId, people.plain.orderId),
      bank: { code: '004', name: '臺灣銀行' },
      // Placed in the app: ATM transfer only, even seen from a web sign-in.
      payableBy: ['atm'],
    });
    expect(mine?.collectableFrom).toBeUndefined();
    const statuses = await Promise.all(small.map(async (p) => (await myOrders(p.personId))[0]));
    expect(statuses.map((o) => o?.status).sort()).toEqual(['awaiting_payment', 'not_selected']);
    const loser = statuses.find((o) => o?.status === 'not_selected');
    expect(loser?.virtualAccount).toBeUndefined();
    expect(loser?.bank).toBeUndefined();
    expect(loser?.payableBy).toBeUndefined();
  });

  it('applies the interval rule across channels to collectableFrom (SPEC §5 worked examples)', async () => {
    await at('2020-03-20T10:00:00+08:00');
    const paid = [people.plain, people.pharmacy22, people.pharmacy24].map((p) => p.orderId);
    for (const orderId of paid) await insertTestPayment(t.sql, { orderId, paidAt: t.deps.clock.now() });
    await pharmacyPurchase(people.pharmacy22.personId, '2020-03-22');
    await pharmacyPurchase(people.pharmacy24.personId, '2020-03-24');
    await at('2020-03-25T10:00:00+08:00');
    const collectable = async (personId: number) => {
      const [o] = await myOrders(personId);
      expect(o?.status).toBe('paid');
      return o?.collectableFrom;
    };
    expect(await collectable(people.plain.personId)).toBe('2020-03-26');
    expect(await collectable(people.pharmacy22.personId)).toBe('2020-03-29');
    expect(await collectable(people.pharmacy24.personId)).toBe('2020-03-31');
  });

  it('shows the pickup serial and the new store after the chosen store closed', async () => {
    const admin = await at('2020-03-26T10:00:00+08:00');
    await t.sql`update order_payments set pickup_serial = '202003260001' where order_id = ${people.plain.orderId}`;
    const other = await createStore(api, admin, { chain: 'Hi-Life', name: '萊爾富新店' });
    expect(
      (await api.post(`/api/v1/admin/stores/${storeId}/close`, { reassignTo: other.id }, { token: admin }))
        .status,
    ).toBe(200);
    const [o] = await myOrders(people.plain.personId);
    expect(o).toMatchObject({
      pickupSerial: '202003260001',
      store: { id: other.id, chain: 'Hi-Life', name: '萊爾富新店' },
    });
  });

  it('turns unpaid orders into forfeited_unpaid when payment closes, and uncollected ones after pickup', async () => {
    await at('2020-03-25T19:59:59+08:00');
    expect((await myOrders(people.unpaid.personId))[0]?.status).toBe('awaiting_payment');
    await at('2020-03-25T20:00:00+08:00');
    expect((await myOrders(people.unpaid.personId))[0]?.status).toBe('forfeited_unpaid');
    expect(await markCollected(t.sql, people.pharmacy22.orderId, t.deps.clock.now())).toBe(true);
    await at('2020-04-02T00:00:00+08:00');
    const [uncollected] = await myOrders(people.plain.personId);
    expect(uncollected?.status).toBe('forfeited_uncollected');
    expect(uncollected?.collectableFrom).toBeUndefined();
    expect((await myOrders(people.pharmacy22.personId))[0]?.status).toBe('collected');
  });
});
