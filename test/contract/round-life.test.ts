// Over 300 lines: one round's life in order: each step depends on the state the previous ones left.
/**
 * The whole life of an eMask round through the HTTP contract only (API.md "Operators",
 * "Public", "Citizens", "Partners", "Simulation"): operator set-up, sign-ins of every kind,
 * orders and their replacement, the draw, e-mail, virtual accounts and bank transfers, SMS with
 * the pickup serial, the public look-up, card payment rules, pickup slips, hand-over (with a
 * proxy), exchanges, the purchase record, store closing, and the order statuses through time.
 * The steps run in order and share state: each `it` is one moment of the platform clock.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  adminLogin,
  issueCard,
  issueCitizenCertificate,
  loginWithCard,
  loginWithCertificate,
  newChallenge,
  newDeviceKeys,
  phoneAuth,
  randomNationalId,
  randomPhone,
  registerCard,
  setClock,
  signNonce,
  type TestCard,
} from '../support/factories.js';
import { setUpTestApp } from '../support/fixture.js';
import {
  cardInReader,
  DATE,
  expectClientError,
  expectError,
  expectMoney,
  expectStoreRef,
  expectTime,
  oldFormatArc,
  outbox,
} from './kit.js';

const t = setUpTestApp();
const api = t.api;
let admin: string;

/**
 * Moves the platform clock. Tokens lapse 24 idle hours after their last use, so everyone signs
 * in again the way they did the first time (card, certificate, bound device).
 */
async function clockTo(iso: string): Promise<void> {
  await setClock(api, iso);
  admin = await adminLogin(api);
  for (const person of people) await person.signIn();
}
const people: Person[] = [];

beforeAll(async () => {
  await clockTo('2020-03-11T12:00:00+08:00');
});

interface Person {
  card: TestCard;
  phone: string;
  email: string;
  /** The token the person orders with. */
  token: string;
  /** A web session (card or certificate), when the person has one. */
  web?: string;
  orderId?: number;
  virtualAccount?: string;
  serial?: string;
  /** Signs in again the same way(s) as the first time, refreshing `token` and `web`. */
  signIn: () => Promise<void>;
}

interface MyOrder {
  id: number;
  roundId: number;
  status: string;
  amount: number;
  virtualAccount?: string;
  store: { id: number; chain: string; storeNo: string; name: string; address: string };
  pickupSerial?: string;
  pickupStartsOn: string;
  pickupEndsOn: string;
  collectableFrom?: string;
}

interface LookedUp {
  roundId: number;
  status: string;
  amount: number;
  virtualAccount: string | null;
  paymentClosesAt: string;
  store: MyOrder['store'];
  pickupStartsOn: string;
  pickupEndsOn: string;
}

const ROUND = {
  name: '第1輪',
  registrationOpensAt: '2020-03-12T09:00:00+08:00',
  registrationClosesAt: '2020-03-18T20:00:00+08:00',
  paymentOpensAt: '2020-03-19T09:00:00+08:00',
  paymentClosesAt: '2020-03-25T20:00:00+08:00',
  pickupStartsOn: '2020-03-26',
  pickupEndsOn: '2020-04-01',
  supplyPacks: 2_330_000,
};
const ORDER_AMOUNT = 22;
const VISA = { cardNumber: '4111111111111111', expiry: '12/29', cvc: '123', holder: 'WANG XIAO MING' };

let roundId: number;
let lotteryRoundId: number;
const stores: Record<'s1' | 's2' | 's3', { id: number; apiKey: string; name: string; chain: string }> =
  {} as never;
let pharmacy: { code: string; apiKey: string };
/** Web (card) buyer: pays by ATM, collects on the first day, exchanges a pack. */
let p1: Person;
/** Certificate buyer: pays by card; the store closes and the order moves. */
let p2: Person;
/** App (phone) buyer: ATM only; buys at a pharmacy on 3/22, so collects from 3/29, by proxy. */
let p3: Person;
/** Selected but never pays: forfeited_unpaid. */
let p4: Person;
/** Pays, never collects: forfeited_uncollected. */
let p5: Person;
/** App (device code) buyer. */
let p6: Person;
/** Foreign resident with an old-format resident certificate number: web, pays by card. */
let p7: Person;
/** Two people in a round with supply for one. */
let l1: Person;
let l2: Person;

async function myOrders(token: string): Promise<MyOrder[]> {
  const res = await api.get<{ orders: MyOrder[] }>('/api/v1/me/orders', { token });
  expect(res.status, res.text).toBe(200);
  for (const o of res.body.orders) {
    expect(Number.isInteger(o.id)).toBe(true);
    expect(Number.isInteger(o.roundId)).toBe(true);
    expect([
      'registered',
      'not_selected',
      'awaiting_payment',
      'paid',
      'collected',
      'forfeited_unpaid',
      'forfeited_uncollected',
    ]).toContain(o.status);
    expectMoney(o.amount);
    expectStoreRef(o.store);
    expect(o.pickupStartsOn).toMatch(DATE);
    expect(o.pickupEndsOn).toMatch(DATE);
    if (o.virtualAccount !== undefined) expect(o.virtualAccount).toBeTypeOf('string');
    if (o.pickupSerial !== undefined) expect(o.pickupSerial).toBeTypeOf('string');
    if (o.collectableFrom !== undefined) expect(o.collectableFrom).toMatch(DATE);
  }
  return res.body.orders;
}

async function myOrder(person: Person, round = roundId): Promise<MyOrder> {
  const orders = (await myOrders(person.token)).filter((o) => o.roundId === round);
  expect(orders).toHaveLength(1);
  return orders[0] as MyOrder;
}

async function lookup(nationalId: string, phoneLast3: string) {
  return api.post<{ orders: LookedUp[] }>('/api/v1/orders/lookup', { nationalId, phoneLast3 });
}

async function lookupOne(person: Person): Promise<LookedUp> {
  const res = await lookup(person.card.nationalId, person.phone.slice(-3));
  expect(res.status, res.text).toBe(200);
  const found = res.body.orders.filter((o) => o.roundId === roundId);
  expect(found).toHaveLength(1);
  const o = found[0] as LookedUp;
  expectMoney(o.amount, ORDER_AMOUNT);
  expectTime(o.paymentClosesAt);
  expectStoreRef(o.store);
  expect(o.pickupStartsOn).toMatch(DATE);
  expect(o.pickupEndsOn).toMatch(DATE);
  expect(o.virtualAccount === null || typeof o.virtualAccount === 'string').toBe(true);
  return o;
}

async function roundStates(): Promise<Record<number, string>> {
  const res = await api.get<{ rounds: Record<string, unknown>[] }>('/api/v1/rounds');
  expect(res.status).toBe(200);
  const states: Record<number, string> = {};
  for (const r of res.body.rounds) {
    expect(r).toMatchObject({
      id: expect.any(Number),
      name: expect.any(String),
      supplyPacks: expect.any(Number),
    });
    for (const key of ['registrationOpensAt', 'registrationClosesAt', 'paymentOpensAt', 'paymentClosesAt']) {
      expectTime(r[key]);
    }
    expect(r.pickupStartsOn).toMatch(DATE);
    expect(r.pickupEndsOn).toMatch(DATE);
    expect(['upcoming', 'registration', 'drawing', 'payment', 'pickup', 'closed']).toContain(r.state);
    states[r.id as number] = r.state as string;
  }
  return states;
}

async function placeOrder(person: Person, storeId: number, round = roundId) {
  return api.put<{ order: { id: number; roundId: number; storeId: number; status: string; amount: number } }>(
    `/api/v1/rounds/${round}/order`,
    { storeId, phone: person.phone, email: person.email },
    { token: person.token },
  );
}

async function transfer(toAccount: string, amount: number) {
  const res = await api.post<{ transferId: string; matched: boolean }>('/api/v1/sim/bank/transfers', {
    toAccount,
    amount,
  });
  expect(res.status, res.text).toBe(201);
  expect(res.body.transferId).toBeTypeOf('string');
  expect(typeof res.body.matched).toBe('boolean');
  return res.body;
}

async function payByCard(person: Person, token: string, orderId = person.orderId) {
  return api.post(`/api/v1/orders/${orderId}/payments/card`, VISA, { token });
}

function slip(store: { id: number; apiKey: string }, serial: string, key?: string) {
  return api.post<{ orderId: number; buyerNameMasked: string; packs: number; amount: number }>(
    `/api/v1/stores/${store.id}/pickup-slips`,
    { serial },
    { token: store.apiKey, ...(key ? { headers: { 'idempotency-key': key } } : {}) },
  );
}

function pickup(
  store: { id: number; apiKey: string },
  body: {
    serial: string;
    buyerDocument: { type: string; number: string };
    proxyDocument?: { type: string; number: string };
  },
  key?: string,
) {
  return api.post(`/api/v1/stores/${store.id}/pickups`, body, {
    token: store.apiKey,
    ...(key ? { headers: { 'idempotency-key': key } } : {}),
  });
}

async function webPerson(name: string): Promise<Person> {
  const card = await issueCard(api, admin, { name });
  await registerCard(api, card);
  const token = await loginWithCard(api, card);
  const person: Person = {
    card,
    phone: randomPhone(),
    email: `${card.cardNo}@example.com`,
    token,
    web: token,
    signIn: async () => {
      person.token = await loginWithCard(api, card);
      person.web = person.token;
    },
  };
  people.push(person);
  return person;
}

async function deviceSignIn(deviceId: number, privateKeyPem: string): Promise<string> {
  const c = await newChallenge(api);
  const res = await api.post<{ token: string }>('/api/v1/auth/device/login', {
    deviceId,
    challengeId: c.challengeId,
    signature: signNonce(privateKeyPem, c.nonce),
  });
  expect(res.status, res.text).toBe(200);
  expect(res.body.token).toBeTypeOf('string');
  return res.body.token;
}

describe('the life of a round, through the contract', () => {
  it('3/11: an operator sets up stores, a pharmacy and rounds; GET /stores filters; rounds are upcoming', async () => {
    const storeBodies = {
      s1: {
        chain: '7-11',
        storeNo: '131386',
        name: '鑫忠孝門市',
        address: '臺北市中正區忠孝西路一段49號',
        city: '臺北市',
        district: '中正區',
      },
      s2: {
        chain: 'FamilyMart',
        storeNo: '015366',
        name: '全家台中公益店',
        address: '臺中市西區公益路100號',
        city: '臺中市',
        district: '西區',
      },
      s3: {
        chain: 'Hi-Life',
        storeNo: '4321',
        name: '萊爾富台中精誠店',
        address: '臺中市西區精誠路5號',
        city: '臺中市',
        district: '西區',
      },
    } as const;
    for (const [key, body] of Object.entries(storeBodies) as [
      keyof typeof storeBodies,
      (typeof storeBodies)['s1'],
    ][]) {
      const res = await api.post<{ id: number; apiKey: string }>('/api/v1/admin/stores', body, {
        token: admin,
      });
      expect(res.status, res.text).toBe(201);
      expect(Number.isInteger(res.body.id)).toBe(true);
      expect(res.body.apiKey).toBeTypeOf('string');
      stores[key] = { ...res.body, name: body.name, chain: body.chain };
    }
    expect(new Set(Object.values(stores).map((s) => s.apiKey)).size).toBe(3);
    const ok = await api.post<{ id: number; apiKey: string }>(
      '/api/v1/admin/stores',
      {
        chain: 'OK',
        storeNo: '9001',
        name: 'OK超商高雄店',
        address: '高雄市苓雅區四維三路2號',
        city: '高雄市',
        district: '苓雅區',
      },
      { token: admin },
    );
    expect(ok.status).toBe(201);
    expectError(
      await api.post(
        '/api/v1/admin/stores',
        { chain: 'Costco', storeNo: '1', name: 'x', address: 'x', city: 'x', district: 'x' },
        { token: admin },
      ),
      400,
      'VALIDATION_FAILED',
    );

    type StoreRow = {
      id: number;
      chain: string;
      storeNo: string;
      name: string;
      address: string;
      city: string;
      district: string;
      open: boolean;
    };
    const all = await api.get<{ stores: StoreRow[] }>('/api/v1/stores');
    expect(all.status).toBe(200);
    expect(all.body.stores.length).toBeGreaterThanOrEqual(4);
    for (const s of all.body.stores) {
      expectStoreRef(s);
      expect(s.city).toBeTypeOf('string');
      expect(s.district).toBeTypeOf('string');
      expect(s.open).toBe(true);
    }
    const byChain = await api.get<{ stores: StoreRow[] }>(
      `/api/v1/stores?chain=${encodeURIComponent('FamilyMart')}`,
    );
    expect(byChain.body.stores.map((s) => s.id)).toEqual([stores.s2.id]);
    const byCity = await api.get<{ stores: StoreRow[] }>(
      `/api/v1/stores?city=${encodeURIComponent('臺中市')}`,
    );
    expect(byCity.body.stores.map((s) => s.id).sort()).toEqual([stores.s2.id, stores.s3.id].sort());
    const byDistrict = await api.get<{ stores: StoreRow[] }>(
      `/api/v1/stores?city=${encodeURIComponent('臺中市')}&district=${encodeURIComponent('西區')}&chain=Hi-Life`,
    );
    expect(byDistrict.body.stores.map((s) => s.id)).toEqual([stores.s3.id]);
    const byQuery = await api.get<{ stores: StoreRow[] }>(`/api/v1/stores?q=${encodeURIComponent('忠孝')}`);
    expect(byQuery.body.stores.map((s) => s.id)).toContain(stores.s1.id);
    expect(byQuery.body.stores.map((s) => s.id)).not.toContain(stores.s2.id);
    const s1 = all.body.stores.find((s) => s.id === stores.s1.id);
    expect(s1).toMatchObject({ ...storeBodies.s1, open: true });

    const ph = await api.post<{ code: string; apiKey: string }>(
      '/api/v1/admin/pharmacies',
      {
        code: '5901012345',
        name: '健康藥局',
        address: '臺北市大安區信義路四段1號',
        phone: '(02)27001234',
        lat: 25.033,
        lng: 121.543,
      },
      { token: admin },
    );
    expect(ph.status, ph.text).toBe(201);
    expect(ph.body.code).toBe('5901012345');
    expect(ph.body.apiKey).toBeTypeOf('string');
    pharmacy = ph.body;
    expect(
      (
        await api.put(
          `/api/v1/pharmacies/${pharmacy.code}/stock`,
          { adult: 300, child: 500 },
          { token: pharmacy.apiKey },
        )
      ).status,
    ).toBe(200);

    const round = await api.post<Record<string, unknown>>('/api/v1/admin/rounds', ROUND, { token: admin });
    expect(round.status, round.text).toBe(201);
    expect(Number.isInteger(round.body.id)).toBe(true);
    roundId = round.body.id as number;
    const lottery = await api.post<{ id: number }>(
      '/api/v1/admin/rounds',
      { ...ROUND, name: '抽籤輪', supplyPacks: 1 },
      { token: admin },
    );
    expect(lottery.status).toBe(201);
    lotteryRoundId = lottery.body.id;

    const states = await roundStates();
    expect(states[roundId]).toBe('upcoming');
    const listed = (await api.get<{ rounds: Record<string, unknown>[] }>('/api/v1/rounds')).body.rounds.find(
      (r) => r.id === roundId,
    );
    expect(listed).toMatchObject({
      name: '第1輪',
      supplyPacks: 2_330_000,
      pickupStartsOn: '2020-03-26',
      pickupEndsOn: '2020-04-01',
    });
    for (const key of [
      'registrationOpensAt',
      'registrationClosesAt',
      'paymentOpensAt',
      'paymentClosesAt',
    ] as const) {
      expect(Date.parse(listed?.[key] as string)).toBe(Date.parse(ROUND[key]));
    }
  });

  it('3/11: people sign in every way a partner would; ordering before the window is 409 REGISTRATION_CLOSED', async () => {
    p1 = await webPerson('王小明');

    const p2card = await issueCard(api, admin, { name: '陳美麗' });
    const cert = await issueCitizenCertificate(api, p2card.nationalId);
    const p2token = await loginWithCertificate(api, cert, p2card.nationalId);
    p2 = {
      card: p2card,
      phone: randomPhone(),
      email: 'p2@example.com',
      token: p2token,
      web: p2token,
      signIn: async () => {
        p2.token = await loginWithCertificate(api, cert, p2card.nationalId);
        p2.web = p2.token;
      },
    };
    people.push(p2);

    const p3card = await issueCard(api, admin, { name: '林志玲', birthDate: '1975-11-29' });
    const p3app = await phoneAuth(api, p3card);
    await registerCard(api, p3card);
    p3 = {
      card: p3card,
      phone: p3app.phone,
      email: 'p3@example.com',
      token: p3app.token,
      web: await loginWithCard(api, p3card),
      signIn: async () => {
        p3.token = await deviceSignIn(p3app.deviceId, p3app.keys.privateKeyPem);
        p3.web = await loginWithCard(api, p3card);
      },
    };
    people.push(p3);

    p4 = await webPerson('張三');
    p5 = await webPerson('李四');

    const p6card = await issueCard(api, admin, { name: '趙六' });
    await registerCard(api, p6card);
    const p6web = await loginWithCard(api, p6card);
    const code = await api.post<{ code: string }>('/api/v1/devices/codes', {}, { token: p6web });
    expect(code.status).toBe(201);
    const keys = await newDeviceKeys();
    const bound = await api.post<{ deviceId: number; token: string }>('/api/v1/devices/bind', {
      code: code.body.code,
      devicePublicKeyPem: keys.publicKeyPem,
    });
    expect(bound.status).toBe(201);
    p6 = {
      card: p6card,
      phone: randomPhone(),
      email: 'p6@example.com',
      token: await deviceSignIn(bound.body.deviceId, keys.privateKeyPem),
      web: p6web,
      signIn: async () => {
        p6.token = await deviceSignIn(bound.body.deviceId, keys.privateKeyPem);
        p6.web = await loginWithCard(api, p6card);
      },
    };
    people.push(p6);

    const arc = oldFormatArc();
    const p7card = await issueCard(api, admin, {
      nationalId: arc,
      nationality: 'foreign',
      arcNumber: arc,
      name: 'John Smith',
    });
    await registerCard(api, p7card);
    const p7token = await loginWithCard(api, p7card);
    p7 = {
      card: p7card,
      phone: randomPhone(),
      email: 'p7@example.com',
      token: p7token,
      web: p7token,
      signIn: async () => {
        p7.token = await loginWithCard(api, p7card);
        p7.web = p7.token;
      },
    };
    people.push(p7);

    l1 = await webPerson('抽籤甲');
    l2 = await webPerson('抽籤乙');

    expectError(await placeOrder(p1, stores.s1.id), 409, 'REGISTRATION_CLOSED');
    expectError(
      await api.post(`/api/v1/admin/rounds/${roundId}/draw`, { seed: 'c0ffee' }, { token: admin }),
      409,
      'REGISTRATION_NOT_CLOSED',
    );
    expect(await myOrders(p1.token)).toEqual([]);
  });

  it('3/12 09:00: registration; PUT order → 200 {order}; a later PUT replaces it', async () => {
    await clockTo('2020-03-12T09:00:00+08:00');
    expect((await roundStates())[roundId]).toBe('registration');
    // Refused without a citizen session.
    expectError(
      await api.put(`/api/v1/rounds/${roundId}/order`, {
        storeId: stores.s1.id,
        phone: p1.phone,
        email: p1.email,
      }),
      401,
    );

    const first = await placeOrder({ ...p1, phone: randomPhone(), email: 'first@example.com' }, stores.s3.id);
    expect(first.status, first.text).toBe(200);
    expect(first.body.order).toMatchObject({ roundId, storeId: stores.s3.id, status: 'registered' });
    expectMoney(first.body.order.amount, ORDER_AMOUNT);
    const second = await placeOrder(p1, stores.s1.id);
    expect(second.status).toBe(200);
    expect(second.body.order).toMatchObject({
      roundId,
      storeId: stores.s1.id,
      status: 'registered',
      amount: ORDER_AMOUNT,
    });
    p1.orderId = second.body.order.id;
    const mine = await myOrder(p1);
    expect(mine).toMatchObject({
      id: p1.orderId,
      status: 'registered',
      amount: ORDER_AMOUNT,
      pickupStartsOn: '2020-03-26',
      pickupEndsOn: '2020-04-01',
    });
    expectStoreRef(mine.store, stores.s1);
    expect(mine.virtualAccount).toBeUndefined();
    expect(mine.pickupSerial).toBeUndefined();

    for (const [person, store] of [
      [p2, stores.s2],
      [p3, stores.s1],
      [p4, stores.s1],
      [p5, stores.s1],
      [p6, stores.s1],
      [p7, stores.s1],
    ] as const) {
      const res = await placeOrder(person, store.id);
      expect(res.status, res.text).toBe(200);
      expect(res.body.order).toMatchObject({
        roundId,
        storeId: store.id,
        status: 'registered',
        amount: ORDER_AMOUNT,
      });
      person.orderId = res.body.order.id;
    }
    for (const person of [l1, l2]) {
      const res = await placeOrder(person, stores.s1.id, lotteryRoundId);
      expect(res.status).toBe(200);
      person.orderId = res.body.order.id;
    }

    const looked = await lookupOne(p1);
    expect(looked).toMatchObject({ roundId, status: 'registered', amount: ORDER_AMOUNT });
    expectStoreRef(looked.store, stores.s1);
    expect(Date.parse(looked.paymentClosesAt)).toBe(Date.parse(ROUND.paymentClosesAt));

    expectError(
      await api.post(`/api/v1/admin/rounds/${roundId}/draw`, { seed: 'c0ffee' }, { token: admin }),
      409,
      'REGISTRATION_NOT_CLOSED',
    );
    expectError(await api.get(`/api/v1/rounds/${roundId}/draw`), 404, /^UNKNOWN_/);
  });

  it('3/18 20:00: registration has closed: 409 REGISTRATION_CLOSED; the draw runs once and is published', async () => {
    await clockTo('2020-03-18T20:00:00+08:00');
    expect((await roundStates())[roundId]).toBe('drawing');
    expectError(await placeOrder(p1, stores.s3.id), 409, 'REGISTRATION_CLOSED');

    const draw = await api.post<{
      roundId: number;
      orders: number;
      selected: number;
      seed: string;
      algorithm: string;
    }>(`/api/v1/admin/rounds/${roundId}/draw`, { seed: '5eed0001' }, { token: admin });
    expect(draw.status, draw.text).toBe(200);
    expect(draw.body).toMatchObject({ roundId, orders: 7, selected: 7 });
    expect(draw.body.seed).toMatch(/^[0-9a-fA-F]+$/);
    expect(draw.body.algorithm).toBeTypeOf('string');
    const again = await api.post(`/api/v1/admin/rounds/${roundId}/draw`, { seed: 'ffff' }, { token: admin });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(draw.body);
    expectError(await api.post(`/api/v1/admin/rounds/${roundId}/draw`, { seed: 'ab' }), 401);

    const published = await api.get<Record<string, unknown>>(`/api/v1/rounds/${roundId}/draw`);
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({
      seed: draw.body.seed,
      algorithm: draw.body.algorithm,
      orders: 7,
      selected: 7,
    });
    // …and how anyone can re-run it to check.
    expect(Object.keys(published.body).length).toBeGreaterThan(4);

    const lottery = await api.post<{ orders: number; selected: number }>(
      `/api/v1/admin/rounds/${lotteryRoundId}/draw`,
      { seed: 'abcdef0123456789' },
      { token: admin },
    );
    expect(lottery.status).toBe(200);
    expect(lottery.body).toMatchObject({ orders: 2, selected: 1 });
    const statuses = [await myOrder(l1, lotteryRoundId), await myOrder(l2, lotteryRoundId)]
      .map((o) => o.status)
      .sort();
    expect(statuses).toEqual(['awaiting_payment', 'not_selected']);
  });

  it('3/18: selected people get an e-mail; /me/orders shows awaiting_payment and the virtual account', async () => {
    for (const person of [p1, p2, p3, p4, p5, p6, p7]) {
      const mails = (await outbox(api, person.email)).filter((m) => m.channel === 'email');
      expect(mails.length, person.email).toBeGreaterThanOrEqual(1);
      expect(mails[0]?.subject).toBeTypeOf('string');
      const mine = await myOrder(person);
      expect(mine.status).toBe('awaiting_payment');
      expect(mine.virtualAccount).toBeTypeOf('string');
      expect(mine.virtualAccount?.length).toBeGreaterThan(0);
      person.virtualAccount = mine.virtualAccount;
    }
    // Never an SMS for the selection [ORD 22.1, 22.2]: SMS carries only the pickup serial.
    expect((await outbox(api, p1.phone)).filter((m) => m.channel === 'sms')).toEqual([]);
    expect(new Set([p1, p2, p3, p4, p5, p6, p7].map((p) => p.virtualAccount)).size).toBe(7);
    const looked = await lookupOne(p1);
    expect(looked).toMatchObject({ status: 'awaiting_payment', virtualAccount: p1.virtualAccount });
    // Before the payment window: 409 PAYMENT_CLOSED.
    expectError(await payByCard(p2, p2.token), 409, 'PAYMENT_CLOSED');
  });

  it('3/19: payment; bank transfers match the personal account; the SMS carries the pickup serial', async () => {
    await clockTo('2020-03-19T10:00:00+08:00');
    expect((await roundStates())[roundId]).toBe('payment');

    expect(await transfer('9999000011112222', ORDER_AMOUNT)).toMatchObject({ matched: false });
    expect(await transfer(p1.virtualAccount as string, ORDER_AMOUNT)).toMatchObject({ matched: true });
    const paid = await myOrder(p1);
    expect(paid.status).toBe('paid');
    expect(paid.pickupSerial).toBeTypeOf('string');
    p1.serial = paid.pickupSerial;
    const sms = (await outbox(api, p1.phone)).filter((m) => m.channel === 'sms');
    expect(sms).toHaveLength(1);
    expect(sms[0]?.body).toContain(p1.serial);
    // Paid twice is not paid twice.
    expect(await transfer(p1.virtualAccount as string, ORDER_AMOUNT)).toMatchObject({ matched: false });
    expect((await outbox(api, p1.phone)).filter((m) => m.channel === 'sms')).toHaveLength(1);

    const looked = await lookupOne(p1);
    expect(looked).toMatchObject({ status: 'paid', virtualAccount: p1.virtualAccount });
    // API.md v1.1: the anonymous look-up never returns the serial (SMS and /me/orders only).
    expect(looked).not.toHaveProperty('pickupSerial');

    for (const person of [p3, p5, p6]) {
      expect(await transfer(person.virtualAccount as string, ORDER_AMOUNT)).toMatchObject({ matched: true });
      person.serial = (await myOrder(person)).pickupSerial;
      expect(person.serial).toBeTypeOf('string');
      expect(
        (await outbox(api, person.phone)).some(
          (m) => m.channel === 'sms' && m.body.includes(person.serial as string),
        ),
      ).toBe(true);
    }
    // The whole outbox, in sending order.
    const all = await api.get<{ messages: { channel: string; sentAt: string }[] }>('/api/v1/sim/outbox');
    expect(all.status).toBe(200);
    const times = all.body.messages.map((m) => Date.parse(m.sentAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    const channels = all.body.messages.map((m) => m.channel);
    expect(channels.lastIndexOf('email')).toBeLessThan(channels.indexOf('sms'));
  });

  it('3/19: card payment needs a web session and a web order: 403 PAYMENT_METHOD_NOT_ALLOWED', async () => {
    // p3 ordered from the app: not from the app session, and not from a web session either.
    expectError(await payByCard(p3, p3.token), 403, 'PAYMENT_METHOD_NOT_ALLOWED');
    expectError(await payByCard(p3, p3.web as string), 403, 'PAYMENT_METHOD_NOT_ALLOWED');
    // p4 ordered on the web, but signs in from the app (phone check) to pay: refused.
    const p4app = await phoneAuth(api, p4.card);
    expectError(await payByCard(p4, p4app.token), 403, 'PAYMENT_METHOD_NOT_ALLOWED');
    // From p4's web session the method is allowed (a declined card is the card's refusal, not 403).
    const declined = await api.post(
      `/api/v1/orders/${p4.orderId}/payments/card`,
      { ...VISA, cardNumber: '4000000000000002' },
      { token: p4.token },
    );
    expect(expectClientError(declined).code).not.toBe('PAYMENT_METHOD_NOT_ALLOWED');
    expect((await myOrder(p4)).status).toBe('awaiting_payment');
    // p6 ordered with a bound device (app): refused from its web session too.
    expectError(await payByCard(p6, p6.web as string), 403, 'PAYMENT_METHOD_NOT_ALLOWED');

    // p2, signed in with the certificate, pays by card (anyone's card may pay) → 201.
    const paid = await payByCard(p2, p2.token);
    expect(paid.status, paid.text).toBe(201);
    const mine = await myOrder(p2);
    expect(mine.status).toBe('paid');
    p2.serial = mine.pickupSerial;
    expect(p2.serial).toBeTypeOf('string');
    // Already done: 409.
    expectError(await payByCard(p2, p2.token), 409);
    expect(
      (await outbox(api, p2.phone)).some((m) => m.channel === 'sms' && m.body.includes(p2.serial as string)),
    ).toBe(true);
    // A foreign resident's order, found by the resident certificate number, paid by card.
    const foreign = await lookupOne(p7);
    expect(foreign.status).toBe('awaiting_payment');
    expect((await payByCard(p7, p7.token)).status).toBe(201);
    p7.serial = (await myOrder(p7)).pickupSerial;
    expect(p7.serial).toBeTypeOf('string');
    // Someone else's order is not theirs to pay.
    expectClientError(await payByCard(p4, p2.token));
    // Before pickup opens, a slip is refused: OUTSIDE_PICKUP_WINDOW.
    expectError(await slip(stores.s1, p1.serial as string), 409, 'OUTSIDE_PICKUP_WINDOW');
  });

  it('3/20: a store closes; its open orders move and the look-up shows the new store', async () => {
    await clockTo('2020-03-20T10:00:00+08:00');
    const close = await api.post(
      `/api/v1/admin/stores/${stores.s2.id}/close`,
      { reassignTo: stores.s3.id },
      { token: admin },
    );
    expect(close.status, close.text).toBe(200);
    const looked = await lookupOne(p2);
    expectStoreRef(looked.store, stores.s3);
    expect(looked.store.name).toBe(stores.s3.name);
    expect((await myOrder(p2)).store.id).toBe(stores.s3.id);
    const listed = await api.get<{ stores: { id: number; open: boolean }[] }>(
      '/api/v1/stores?chain=FamilyMart',
    );
    expect(listed.body.stores.find((s) => s.id === stores.s2.id)?.open ?? false).toBe(false);
    expect(
      (
        await api.get<{ stores: { id: number; open: boolean }[] }>('/api/v1/stores?chain=Hi-Life')
      ).body.stores.find((s) => s.id === stores.s3.id)?.open,
    ).toBe(true);
  });

  it('3/22 (Sunday): p3 buys at a pharmacy before pickup opens (allowed under the 7-day rule)', async () => {
    await clockTo('2020-03-22T10:00:00+08:00');
    const sale = await api.post<{ saleId: number; amount: number; nextEligibleOn: string }>(
      `/api/v1/pharmacies/${pharmacy.code}/sales`,
      { cardNo: p3.card.cardNo, ...(await cardInReader(api, p3.card)), item: 'adult' },
      { token: pharmacy.apiKey },
    );
    expect(sale.status, sale.text).toBe(201);
    expect(Number.isInteger(sale.body.saleId)).toBe(true);
    expectMoney(sale.body.amount, 15);
    // The paid order now counts on 3/29 (7 days after this sale), so the next purchase is 4/5.
    expect(sale.body.nextEligibleOn).toBe('2020-04-05');
    const mine = await myOrder(p3);
    expect(mine).toMatchObject({ status: 'paid', collectableFrom: '2020-03-29' });
  });

  it('3/25 20:00: the payment window has closed: 409 PAYMENT_CLOSED; unpaid orders are forfeited_unpaid', async () => {
    await clockTo('2020-03-25T20:00:00+08:00');
    expect((await roundStates())[roundId]).toBe('pickup');
    expectError(await payByCard(p4, p4.token), 409, 'PAYMENT_CLOSED');
    expect(await transfer(p4.virtualAccount as string, ORDER_AMOUNT)).toMatchObject({ matched: false });
    expect((await myOrder(p4)).status).toBe('forfeited_unpaid');
    expect((await lookupOne(p4)).status).toBe('forfeited_unpaid');
    const lotteryStatuses = [await myOrder(l1, lotteryRoundId), await myOrder(l2, lotteryRoundId)]
      .map((o) => o.status)
      .sort();
    expect(lotteryStatuses).toEqual(['forfeited_unpaid', 'not_selected']);
    expect((await myOrder(p1)).status).toBe('paid');
  });

  it('3/26: pickup slips, hand-over against the buyer’s document, exchanges', async () => {
    await clockTo('2020-03-26T10:00:00+08:00');
    expectError(await slip(stores.s1, 'NOSUCHSERIAL1'), 404, 'UNKNOWN_SERIAL');
    // p2's order moved to s3: s1 is the wrong store.
    const wrong = expectClientError(await slip(stores.s1, p2.serial as string));
    expect(wrong.code).toBe('WRONG_STORE');
    // Where an answer embeds a store, it is {id, chain, storeNo, name, address}.
    if (wrong.store !== undefined) expectStoreRef(wrong.store, stores.s3);

    const printed = await slip(stores.s1, p1.serial as string, 'slip-p1');
    expect(printed.status, printed.text).toBe(201);
    const reprinted = await slip(stores.s1, p1.serial as string, 'slip-p1');
    expect(reprinted.status).toBe(201);
    expect(reprinted.body).toEqual(printed.body);
    expect(printed.body).toMatchObject({ orderId: p1.orderId, packs: 1 });
    expectMoney(printed.body.amount, ORDER_AMOUNT);
    expect(printed.body.buyerNameMasked).toBeTypeOf('string');
    expect(printed.body.buyerNameMasked).not.toBe('王小明');

    expectError(
      await pickup(stores.s1, {
        serial: p1.serial as string,
        buyerDocument: { type: 'id_card', number: randomNationalId() },
      }),
      422,
      'DOCUMENT_MISMATCH',
    );
    expectError(
      await pickup(stores.s1, {
        serial: p1.serial as string,
        buyerDocument: { type: 'nhi_card', number: p2.card.cardNo },
      }),
      422,
      'DOCUMENT_MISMATCH',
    );
    const handed = await pickup(stores.s1, {
      serial: p1.serial as string,
      buyerDocument: { type: 'id_card', number: p1.card.nationalId },
    });
    expect(handed.status, handed.text).toBe(201);
    expect((await myOrder(p1)).status).toBe('collected');
    expect((await lookupOne(p1)).status).toBe('collected');
    const collectedAgain = expectClientError(await slip(stores.s1, p1.serial as string));
    expect(collectedAgain.code).toBe('ALREADY_COLLECTED');
    expect(
      expectClientError(
        await pickup(stores.s1, {
          serial: p1.serial as string,
          buyerDocument: { type: 'id_card', number: p1.card.nationalId },
        }),
      ).code,
    ).toBe('ALREADY_COLLECTED');

    // Exchanges: whole packs, on the day of collection.
    expectError(
      await api.post(
        `/api/v1/stores/${stores.s1.id}/exchanges`,
        { serial: p1.serial, packs: 1.5 },
        { token: stores.s1.apiKey },
      ),
      400,
      'VALIDATION_FAILED',
    );
    const exchange = () =>
      api.post(
        `/api/v1/stores/${stores.s1.id}/exchanges`,
        { serial: p1.serial, packs: 1 },
        {
          token: stores.s1.apiKey,
          headers: { 'idempotency-key': 'exchange-p1' },
        },
      );
    const exchanged = await exchange();
    expect(exchanged.status, exchanged.text).toBe(201);
    const exchangedAgain = await exchange();
    expect(exchangedAgain.status).toBe(201);
    expect(exchangedAgain.body).toEqual(exchanged.body);
    // …and it exchanged once: the one pack collected cannot be exchanged a second time.
    expectClientError(
      await api.post(
        `/api/v1/stores/${stores.s1.id}/exchanges`,
        { serial: p1.serial, packs: 1 },
        { token: stores.s1.apiKey },
      ),
    );
    // Not collected yet: nothing to exchange.
    expectClientError(
      await api.post(
        `/api/v1/stores/${stores.s1.id}/exchanges`,
        { serial: p5.serial, packs: 1 },
        { token: stores.s1.apiKey },
      ),
    );

    // p2 at the store its order moved to, with the NHI card, collected by a proxy.
    const proxy = randomNationalId();
    expect((await slip(stores.s3, p2.serial as string)).status).toBe(201);
    const byProxy = await pickup(stores.s3, {
      serial: p2.serial as string,
      buyerDocument: { type: 'nhi_card', number: p2.card.cardNo },
      proxyDocument: { type: 'id_card', number: proxy },
    });
    expect(byProxy.status, byProxy.text).toBe(201);
    expect((await myOrder(p2)).status).toBe('collected');

    // The foreign resident shows the NHI card (12 digits), then the resident certificate.
    expect((await slip(stores.s1, p7.serial as string)).status).toBe(201);
    expectError(
      await pickup(stores.s1, {
        serial: p7.serial as string,
        buyerDocument: { type: 'nhi_card', number: p1.card.cardNo },
      }),
      422,
      'DOCUMENT_MISMATCH',
    );
    const foreignHandover = await pickup(stores.s1, {
      serial: p7.serial as string,
      buyerDocument: { type: 'id_card', number: p7.card.nationalId },
    });
    expect(foreignHandover.status, foreignHandover.text).toBe(201);
    expect((await myOrder(p7)).status).toBe('collected');

    // p3 bought at a pharmacy on 3/22: collectable only from 3/29.
    const early = expectError(await slip(stores.s1, p3.serial as string), 409, 'NOT_YET_ELIGIBLE');
    expect(early.collectableFrom).toBe('2020-03-29');
    expect(
      expectClientError(
        await pickup(stores.s1, {
          serial: p3.serial as string,
          buyerDocument: { type: 'id_card', number: p3.card.nationalId },
        }),
      ).code,
    ).toBe('NOT_YET_ELIGIBLE');

    // An Idempotency-Key retry of a hand-over answers the first outcome and does nothing twice.
    const key = `handover-${p6.orderId}`;
    const body = {
      serial: p6.serial as string,
      buyerDocument: { type: 'driver_license', number: p6.card.nationalId },
    };
    const once = await pickup(stores.s1, body, key);
    expect(once.status, once.text).toBe(201);
    const twice = await pickup(stores.s1, body, key);
    expect(twice.status).toBe(201);
    expect(twice.body).toEqual(once.body);
    expect((await myOrder(p6)).status).toBe('collected');
  });

  it('3/26: /me/purchases shows the online purchase and the next eligible day', async () => {
    const res = await api.get<{
      purchases: { date: string; channel: string; place: string; item: string; quantity: number }[];
      nextEligibleOn: string | null;
    }>('/api/v1/me/purchases', { token: p1.token });
    expect(res.status).toBe(200);
    expect(res.body.purchases).toHaveLength(1);
    expect(res.body.purchases[0]).toMatchObject({ date: '2020-03-26', channel: 'online', item: 'adult' });
    expect(res.body.purchases[0]?.place).toBeTypeOf('string');
    expect(Number.isInteger(res.body.purchases[0]?.quantity)).toBe(true);
    expect(res.body.nextEligibleOn).toBe('2020-04-02');

    const fresh = await webPerson('新來的');
    const none = await api.get<{ purchases: unknown[]; nextEligibleOn: string | null }>(
      '/api/v1/me/purchases',
      {
        token: fresh.token,
      },
    );
    expect(none.body).toEqual({ purchases: [], nextEligibleOn: null });

    // A paid order counts on the first pickup day, collected or not: the pharmacy refuses p5.
    const sale = await api.post(
      `/api/v1/pharmacies/${pharmacy.code}/sales`,
      { cardNo: p5.card.cardNo, ...(await cardInReader(api, p5.card)), item: 'adult' },
      { token: pharmacy.apiKey },
    );
    const refused = expectClientError(sale);
    expect(['NOT_YET_ELIGIBLE', 'WRONG_DAY_FOR_ID']).toContain(refused.code);
  });

  it('3/27: exchanges only on the day of collection', async () => {
    await clockTo('2020-03-27T10:00:00+08:00');
    expectClientError(
      await api.post(
        `/api/v1/stores/${stores.s1.id}/exchanges`,
        { serial: p6.serial, packs: 1 },
        { token: stores.s1.apiKey },
      ),
    );
  });

  it('3/29 (Sunday): p3 collects by proxy; the record counts the order on 3/29', async () => {
    await clockTo('2020-03-29T10:00:00+08:00');
    const s = await slip(stores.s1, p3.serial as string);
    expect(s.status, s.text).toBe(201);
    const proxy = randomNationalId();
    // The proxy's own document is not the buyer's: a proxy document equal to the buyer's is refused.
    const done = await pickup(stores.s1, {
      serial: p3.serial as string,
      buyerDocument: { type: 'driver_license', number: p3.card.nationalId },
      proxyDocument: { type: 'id_card', number: proxy },
    });
    expect(done.status, done.text).toBe(201);
    const record = await api.get<{ purchases: { date: string; channel: string }[]; nextEligibleOn: string }>(
      '/api/v1/me/purchases',
      { token: p3.token },
    );
    expect(record.body.purchases.map((p) => [p.date, p.channel]).sort()).toEqual([
      ['2020-03-22', 'pharmacy'],
      ['2020-03-29', 'online'],
    ]);
    expect(record.body.nextEligibleOn).toBe('2020-04-05');
  });

  it('4/2: the pickup window has passed: forfeited_uncollected, FORFEITED, the round is closed', async () => {
    await clockTo('2020-04-02T00:00:00+08:00');
    expect((await roundStates())[roundId]).toBe('closed');
    expect((await myOrder(p5)).status).toBe('forfeited_uncollected');
    expect((await lookupOne(p5)).status).toBe('forfeited_uncollected');
    expect(expectClientError(await slip(stores.s1, p5.serial as string)).code).toBe('FORFEITED');
    expect((await myOrder(p1)).status).toBe('collected');
    expect((await myOrder(p4)).status).toBe('forfeited_unpaid');
  });

  it('the look-up: a wrong pair answers exactly like "no orders"', async () => {
    const wrongDigits = String((Number(p1.phone.slice(-3)) + 1) % 1000).padStart(3, '0');
    const wrong = await lookup(p1.card.nationalId, wrongDigits);
    const nobody = await lookup(randomNationalId(), '123');
    expect(wrong.status).toBe(200);
    expect(nobody.status).toBe(200);
    expect(wrong.body).toEqual({ orders: [] });
    expect(wrong.text).toBe(nobody.text);
  });
});
