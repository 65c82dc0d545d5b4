import { beforeAll, describe, expect, it } from 'vitest';
import {
  cardPresence,
  citizenToken,
  createOrderInState,
  createPaidOrder,
  createPharmacy,
  createRound,
  createStore,
  issueCard,
  setClock,
  setPharmacyStock,
  type TestCard,
} from '../../test/support/factories.js';
import { setUpTestApp } from '../../test/support/fixture.js';
import { DEFAULT_PROGRAMME } from '../rules/programme.js';
import { loadHistory, lockPerson } from './history.repo.js';
import { loadProgramme } from './programme.repo.js';
import { insertPurchase } from './purchases.repo.js';

const t = setUpTestApp();
const api = t.api;
let admin: string;

type Record = {
  purchases: { date: string; channel: string; place: string; item: string; quantity: number }[];
  nextEligibleOn: string | null;
};

beforeAll(async () => {
  await setClock(api, '2020-03-15T10:00:00+08:00'); // Sunday
  admin = await t.admin();
});

async function pharmacySale(card: TestCard, pharmacy: { code: string; apiKey: string }, item = 'adult') {
  const presence = await cardPresence(t.deps.vault, card, t.deps.clock.now());
  const res = await api.post(
    `/api/v1/pharmacies/${pharmacy.code}/sales`,
    { cardNo: card.cardNo, ...presence, item },
    { token: pharmacy.apiKey },
  );
  if (res.status !== 201) throw new Error(`sale: ${res.status} ${res.text}`);
}

async function recordOf(card: TestCard) {
  const token = await citizenToken(t.sql, card.personId, 'app_phone', t.deps.clock.now());
  return api.get<Record>('/api/v1/me/purchases', { token });
}

describe('purchase record (GET /api/v1/me/purchases)', () => {
  it('is empty with no next date for someone who never bought', async () => {
    const card = await issueCard(api, admin);
    const res = await recordOf(card);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ purchases: [], nextEligibleOn: null });
  });

  it('needs a citizen session', async () => {
    expect((await api.get('/api/v1/me/purchases')).status).toBe(401);
    expect((await api.get('/api/v1/me/purchases', { token: admin })).status).toBe(403);
  });

  it('shows pharmacy, airport and online purchases newest first, in masks, with the next date', async () => {
    const card = await issueCard(api, admin, { birthDate: '2010-02-02' });
    const pharmacy = await createPharmacy(api, admin, { name: '大安健康藥局' });
    await setPharmacyStock(api, pharmacy, { adult: 30, child: 50 });
    await createPaidOrder(
      { api, admin, deps: t.deps },
      {
        personId: card.personId,
        now: t.deps.clock.now(),
        round: { name: 'record-test' },
        store: { name: '7-ELEVEN 信義門市' },
        channel: 'app_phone',
      },
    );
    const counter = await api.post<{ id: number; apiKey: string }>(
      '/api/v1/admin/airport-counters',
      { name: '桃園機場免稅店' },
      { token: admin },
    );

    try {
      // 3/15 child pack at the pharmacy (before the order's pickup window: allowed)
      await pharmacySale(card, pharmacy, 'child');
      // 3/20: the order is paid but its day (3/26 → pushed to … ) has not come: not in the record yet
      await setClock(api, '2020-03-20T10:00:00+08:00');
      let record = await recordOf(card);
      expect(record.body.purchases.map((p) => p.channel)).toEqual(['pharmacy']);
      expect(record.body.nextEligibleOn).toBe('2020-03-22');

      // 3/22 airport set: the order then counts from 3/29 ([v1 Q10])
      await setClock(api, '2020-03-22T06:00:00+08:00');
      const airport = await api.post(
        `/api/v1/airport-counters/${counter.body.id}/sales`,
        { document: { type: 'nhi_card', number: card.cardNo }, item: 'adult', currency: 'TWD' },
        { token: counter.body.apiKey },
      );
      expect(airport.status).toBe(201);

      await setClock(api, '2020-03-30T10:00:00+08:00');
      record = await recordOf(card);
      expect(record.status).toBe(200);
      expect(record.body).toEqual({
        purchases: [
          { date: '2020-03-29', channel: 'online', place: '7-ELEVEN 信義門市', item: 'adult', quantity: 3 },
          { date: '2020-03-22', channel: 'airport', place: '桃園機場免稅店', item: 'adult', quantity: 3 },
          { date: '2020-03-15', channel: 'pharmacy', place: '大安健康藥局', item: 'child', quantity: 5 },
        ],
        nextEligibleOn: '2020-04-05',
      });
    } finally {
      await setClock(api, '2020-03-15T10:00:00+08:00');
    }
  });
});

describe('programme settings', () => {
  it('are loaded from the database, defaults inserted by migration', async () => {
    expect(await loadProgramme(t.sql)).toEqual(DEFAULT_PROGRAMME);
  });

  it('a 14-day programme applies to sales and to the record', async () => {
    const card = await issueCard(api, admin);
    const pharmacy = await createPharmacy(api, admin);
    await setPharmacyStock(api, pharmacy, { adult: 30, child: 0 });
    await t.sql`update programme_settings set period_days = 14, adult_pack_size = 2, unit_price = 7`;
    try {
      const presence = await cardPresence(t.deps.vault, card, t.deps.clock.now());
      const res = await api.post(
        `/api/v1/pharmacies/${pharmacy.code}/sales`,
        { cardNo: card.cardNo, ...presence, item: 'adult' },
        { token: pharmacy.apiKey },
      );
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ amount: 14, nextEligibleOn: '2020-03-29' });
      const [row] = await t.sql`select adult_stock from pharmacies where code = ${pharmacy.code}`;
      expect(row).toEqual({ adult_stock: 28 });
      const record = await recordOf(card);
      expect(record.body).toMatchObject({ nextEligibleOn: '2020-03-29', purchases: [{ quantity: 2 }] });
    } finally {
      await t.sql`update programme_settings set period_days = 7, adult_pack_size = 3, unit_price = 5`;
    }
  });
});

describe('history repository', () => {
  it('counts on-the-spot purchases and paid or collected orders only', async () => {
    const card = await issueCard(api, admin);
    const round = await createRound(api, admin, { name: 'history-test' });
    const round2 = await createRound(api, admin, {
      name: 'history-test-2',
      pickupStartsOn: '2020-04-02',
      pickupEndsOn: '2020-04-08',
    });
    const round3 = await createRound(api, admin, { name: 'history-test-3' });
    const store = await createStore(api, admin);
    const now = t.deps.clock.now();
    const insertOrder = (roundId: number, state: 'paid' | 'collected' | 'awaiting_payment') =>
      createOrderInState(t, { roundId, personId: card.personId, storeId: store.id, now, state });
    const paid = await insertOrder(round.id, 'paid');
    const collected = await insertOrder(round2.id, 'collected');
    await insertOrder(round3.id, 'awaiting_payment');
    await insertPurchase(t.sql, {
      personId: card.personId,
      passportNo: null,
      channel: 'pharmacy',
      placeRef: 'x',
      placeName: 'x',
      item: 'adult',
      packs: 1,
      masks: 3,
      amount: 15,
      currency: 'TWD',
      at: now,
      day: '2020-03-10',
    });
    const history = await t.sql.begin(async (tx) => {
      expect(await lockPerson(tx, card.personId)).toBe(true);
      expect(await lockPerson(tx, 987654321)).toBe(false);
      return loadHistory(tx, card.personId);
    });
    expect(history).toEqual({
      onSpot: ['2020-03-10'],
      paidOrders: [
        { orderId: paid?.id, pickupStartsOn: '2020-03-26' },
        { orderId: collected?.id, pickupStartsOn: '2020-04-02' },
      ],
    });
  });
});
