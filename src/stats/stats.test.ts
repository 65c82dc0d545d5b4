import { beforeAll, describe, expect, it } from 'vitest';
import {
  adminLogin,
  cardPresence,
  citizenToken,
  createOrderInState,
  createPharmacy,
  createRound,
  createStore,
  issueCard,
  randomNationalId,
  setClock,
  setPharmacyStock,
  type TestCard,
} from '../../test/support/factories.js';
import { setUpTestApp } from '../../test/support/fixture.js';

interface Stats {
  generatedAt: string;
  round: { id: number; name: string } | null;
  ordersPerHour: { hour: string; orders: number }[];
  funnel: { orders: number; selected: number; paid: number; collected: number };
  purchasesPerDay: { date: string; pharmacy: number; online: number; airport: number }[];
  stockByCity: { city: string; pharmacies: number; adult: number; child: number }[];
}

describe('GET /api/v1/admin/stats', () => {
  const t = setUpTestApp();
  const api = t.api;
  let admin: string;
  let roundId: number;
  let cards: TestCard[];

  beforeAll(async () => {
    admin = await t.admin();
    roundId = (await createRound(api, admin)).id;
    const store = await createStore(api, admin);
    cards = [];
    for (let i = 0; i < 5; i++) {
      // 2020-03-26 is a Thursday: even last digits buy at pharmacies on Tue/Thu/Sat.
      cards.push(await issueCard(api, admin, { nationalId: randomNationalId({ lastDigitParity: 'even' }) }));
    }
    const at = (iso: string) => new Date(iso);
    const states = ['registered', 'awaiting_payment', 'paid', 'collected'] as const;
    const submitted = [
      '2020-03-12T09:10:00+08:00',
      '2020-03-12T09:50:00+08:00',
      '2020-03-12T10:05:00+08:00',
      '2020-03-18T19:59:00+08:00',
    ];
    for (const [i, state] of states.entries()) {
      await createOrderInState(t, {
        roundId,
        personId: (cards[i] as TestCard).personId,
        storeId: store.id,
        now: at(submitted[i] as string),
        state,
        ...(state === 'collected' ? { collectedAt: at('2020-03-26T11:00:00+08:00') } : {}),
      });
    }

    await setClock(api, '2020-03-26T12:00:00+08:00');
    // Operator sessions lapse after 24 idle hours of platform time.
    admin = await adminLogin(api);
    const taipei = await createPharmacy(api, admin, { address: '臺北市大安區信義路四段1號' });
    const kaohsiung = await createPharmacy(api, admin, { address: '高雄市苓雅區四維三路2號' });
    await setPharmacyStock(api, taipei, { adult: 300, child: 50 });
    await setPharmacyStock(api, kaohsiung, { adult: 120, child: 0 });
    const buyer = cards[4] as TestCard;
    const sale = await api.post(
      `/api/v1/pharmacies/${taipei.code}/sales`,
      {
        cardNo: buyer.cardNo,
        item: 'adult',
        ...(await cardPresence(t.deps.vault, buyer, t.deps.clock.now())),
      },
      { token: taipei.apiKey },
    );
    expect(sale.status).toBe(201);
  }, 120_000);

  it('refuses callers who are not operators', async () => {
    expect((await api.get('/api/v1/admin/stats')).status).toBe(401);
    const citizen = await citizenToken(
      t.sql,
      (cards[0] as TestCard).personId,
      'web_card',
      t.deps.clock.now(),
    );
    const res = await api.get('/api/v1/admin/stats', { token: citizen });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'FORBIDDEN' } });
  });

  it('counts orders per hour over the whole registration window, zeros included', async () => {
    const res = await api.get<Stats>('/api/v1/admin/stats', { token: admin });
    expect(res.status).toBe(200);
    const stats = res.body;
    expect(stats.round?.id).toBe(roundId);
    expect(stats.generatedAt).toBe('2020-03-26T12:00:00+08:00');
    // 3/12 09:00 … 3/18 19:00: six days and eleven hours.
    expect(stats.ordersPerHour).toHaveLength(6 * 24 + 11);
    expect(stats.ordersPerHour[0]).toEqual({ hour: '2020-03-12T09:00:00+08:00', orders: 2 });
    expect(stats.ordersPerHour[1]).toEqual({ hour: '2020-03-12T10:00:00+08:00', orders: 1 });
    expect(stats.ordersPerHour.at(-1)).toEqual({ hour: '2020-03-18T19:00:00+08:00', orders: 1 });
    expect(stats.ordersPerHour.reduce((sum, h) => sum + h.orders, 0)).toBe(4);
  });

  it('follows the draw → payment → pickup funnel', async () => {
    const { body } = await api.get<Stats>(`/api/v1/admin/stats?roundId=${roundId}`, { token: admin });
    expect(body.funnel).toEqual({ orders: 4, selected: 3, paid: 2, collected: 1 });
  });

  it('counts purchases per channel for the last days and sums pharmacy stock per city', async () => {
    const { body } = await api.get<Stats>('/api/v1/admin/stats?days=7', { token: admin });
    expect(body.purchasesPerDay.map((d) => d.date)).toEqual([
      '2020-03-20',
      '2020-03-21',
      '2020-03-22',
      '2020-03-23',
      '2020-03-24',
      '2020-03-25',
      '2020-03-26',
    ]);
    expect(body.purchasesPerDay.at(-1)).toEqual({ date: '2020-03-26', pharmacy: 1, online: 1, airport: 0 });
    expect(body.purchasesPerDay.slice(0, -1).every((d) => d.pharmacy + d.online + d.airport === 0)).toBe(
      true,
    );
    expect(body.stockByCity).toEqual([
      { city: '臺北市', pharmacies: 1, adult: 297, child: 50 },
      { city: '高雄市', pharmacies: 1, adult: 120, child: 0 },
    ]);
  });

  it('shows no hours before registration opens, and answers 404 / 400 for unknown or bad rounds', async () => {
    const later = await createRound(api, admin, {
      name: '未來梯次',
      registrationOpensAt: '2020-04-10T08:00:00+08:00',
      registrationClosesAt: '2020-04-12T20:00:00+08:00',
      paymentOpensAt: '2020-04-13T08:00:00+08:00',
      paymentClosesAt: '2020-04-15T20:00:00+08:00',
      pickupStartsOn: '2020-04-16',
      pickupEndsOn: '2020-04-22',
    });
    const upcoming = await api.get<Stats>(`/api/v1/admin/stats?roundId=${later.id}`, { token: admin });
    expect(upcoming.body.ordersPerHour).toEqual([]);
    expect(upcoming.body.funnel).toEqual({ orders: 0, selected: 0, paid: 0, collected: 0 });
    // The default stays on the latest round whose registration has opened.
    expect((await api.get<Stats>('/api/v1/admin/stats', { token: admin })).body.round?.id).toBe(roundId);

    const unknown = await api.get('/api/v1/admin/stats?roundId=99999', { token: admin });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: 'UNKNOWN_ROUND' } });
    const bad = await api.get('/api/v1/admin/stats?roundId=abc', { token: admin });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });

  it('counts the hour that is still going on: an order at the very instant registration opened shows', async () => {
    // The clock stands still at 2020-03-26 12:00:00 (CLOCK=manual), as the demo's does at opening.
    const now = '2020-03-26T12:00:00+08:00';
    const open = await createRound(api, admin, {
      name: '當下梯次',
      registrationOpensAt: now,
      registrationClosesAt: '2020-03-27T20:00:00+08:00',
      paymentOpensAt: '2020-03-28T08:00:00+08:00',
      paymentClosesAt: '2020-03-29T20:00:00+08:00',
      pickupStartsOn: '2020-03-30',
      pickupEndsOn: '2020-04-05',
    });
    const store = await createStore(api, admin);
    await createOrderInState(t, {
      roundId: open.id,
      personId: (cards[0] as TestCard).personId,
      storeId: store.id,
      now: new Date(now),
      state: 'registered',
    });
    const { body } = await api.get<Stats>(`/api/v1/admin/stats?roundId=${open.id}`, { token: admin });
    expect(body.ordersPerHour).toEqual([{ hour: now, orders: 1 }]);
  });
});
