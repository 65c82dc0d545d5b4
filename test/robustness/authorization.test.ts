import { beforeAll, describe, expect, it } from 'vitest';
import {
  cardPresence,
  citizenLogin,
  createOrderInState,
  createPharmacy,
  createRound,
  createStore,
  issueCard,
  setClock,
  setPharmacyStock,
  type TestCard,
  type TestOrder,
} from '../support/factories.js';
import { setUpTestApp } from '../support/fixture.js';

/**
 * The authorization matrix of every partner route (issue 6 point 3; STYLE.md "Authorization
 * matrix"): no key → 401; another partner's key of the same kind → 403; a key of another kind
 * → 403; an operator's or a citizen's token → 401 or 403. The database is unchanged after each
 * refused call. The right key, last, is accepted: the requests are otherwise sound.
 */
const t = setUpTestApp();
const api = t.api;
let adminToken = '';
let citizenToken = '';
let card: TestCard;
/** Someone without an order: free to buy at a pharmacy. */
let buyer: TestCard;
let order: TestOrder;
const keys: Record<'pharmacyA' | 'pharmacyB' | 'storeA' | 'storeB' | 'counterA' | 'counterB', string> = {
  pharmacyA: '',
  pharmacyB: '',
  storeA: '',
  storeB: '',
  counterA: '',
  counterB: '',
};
let pharmacyCode = '';
let storeId = 0;
let counterId = 0;

beforeAll(async () => {
  adminToken = await t.admin();
  const pa = await createPharmacy(api, adminToken);
  const pb = await createPharmacy(api, adminToken);
  await setPharmacyStock(api, pa, { adult: 300, child: 100 });
  pharmacyCode = pa.code;
  keys.pharmacyA = pa.apiKey;
  keys.pharmacyB = pb.apiKey;
  const sa = await createStore(api, adminToken);
  const sb = await createStore(api, adminToken);
  storeId = sa.id;
  keys.storeA = sa.apiKey;
  keys.storeB = sb.apiKey;
  for (const name of ['A', 'B'] as const) {
    const res = await api.post<{ id: number; apiKey: string }>(
      '/api/v1/admin/airport-counters',
      { name: `桃園機場 ${name}` },
      { token: adminToken },
    );
    if (name === 'A') counterId = res.body.id;
    keys[`counter${name}`] = res.body.apiKey;
  }
  const round = await createRound(api, adminToken);
  const citizen = await citizenLogin(api, adminToken);
  card = citizen.card;
  citizenToken = citizen.token;
  buyer = await issueCard(api, adminToken);
  // Sunday in the pickup window of round 1: every rule would let the right caller through.
  await setClock(api, '2020-03-29T10:00:00+08:00');
  order = await createOrderInState(t, {
    roundId: round.id,
    personId: card.personId,
    storeId,
    state: 'paid',
    now: new Date('2020-03-20T10:00:00+08:00'),
  });
});

/** A fingerprint of every table a partner call can write. */
async function databaseState(): Promise<string> {
  const tables = [
    'purchases',
    'pharmacies',
    'orders',
    'pickup_slips',
    'pickups',
    'exchanges',
    'idempotency_keys',
    'audit_log',
    'challenges',
    'outbox',
  ];
  const parts: string[] = [];
  for (const table of tables) {
    const [row] = await t.sql<{ h: string }[]>`
      select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h from ${t.sql(table)} x`;
    parts.push(`${table}:${row?.h}`);
  }
  return parts.join(',');
}

type Caller = 'none' | 'samePartnerOther' | 'otherKind' | 'admin' | 'citizen';

interface Route {
  name: string;
  method: 'POST' | 'PUT';
  path: () => string;
  body: () => Promise<unknown>;
  keys: Record<Exclude<Caller, 'none' | 'admin' | 'citizen'>, () => string>;
  right: () => string;
  ok: number;
}

const routes: Route[] = [
  {
    name: 'pharmacy sale',
    method: 'POST',
    path: () => `/api/v1/pharmacies/${pharmacyCode}/sales`,
    body: async () => {
      const presence = await cardPresence(t.deps.vault, buyer, new Date('2020-03-29T10:00:00+08:00'));
      return { cardNo: buyer.cardNo, ...presence, item: 'adult' };
    },
    keys: { samePartnerOther: () => keys.pharmacyB, otherKind: () => keys.storeA },
    right: () => keys.pharmacyA,
    ok: 201,
  },
  {
    name: 'pharmacy stock',
    method: 'PUT',
    path: () => `/api/v1/pharmacies/${pharmacyCode}/stock`,
    body: async () => ({ adult: 0, child: 0 }),
    keys: { samePartnerOther: () => keys.pharmacyB, otherKind: () => keys.counterA },
    right: () => keys.pharmacyA,
    ok: 200,
  },
  {
    name: 'store pickup slip',
    method: 'POST',
    path: () => `/api/v1/stores/${storeId}/pickup-slips`,
    body: async () => ({ serial: order.pickupSerial }),
    keys: { samePartnerOther: () => keys.storeB, otherKind: () => keys.pharmacyA },
    right: () => keys.storeA,
    ok: 201,
  },
  {
    name: 'store pickup',
    method: 'POST',
    path: () => `/api/v1/stores/${storeId}/pickups`,
    body: async () => ({
      serial: order.pickupSerial,
      buyerDocument: { type: 'id_card', number: card.nationalId },
    }),
    keys: { samePartnerOther: () => keys.storeB, otherKind: () => keys.counterA },
    right: () => keys.storeA,
    ok: 201,
  },
  {
    name: 'store exchange',
    method: 'POST',
    path: () => `/api/v1/stores/${storeId}/exchanges`,
    body: async () => ({ serial: order.pickupSerial, packs: 1 }),
    keys: { samePartnerOther: () => keys.storeB, otherKind: () => keys.pharmacyB },
    right: () => keys.storeA,
    ok: 201,
  },
  {
    name: 'airport sale',
    method: 'POST',
    path: () => `/api/v1/airport-counters/${counterId}/sales`,
    body: async () => ({
      document: { type: 'passport', number: 'P12345678' },
      item: 'adult',
      currency: 'TWD',
    }),
    keys: { samePartnerOther: () => keys.counterB, otherKind: () => keys.storeB },
    right: () => keys.counterA,
    ok: 201,
  },
];

const expected: Record<Caller, number[]> = {
  none: [401],
  samePartnerOther: [403],
  otherKind: [403],
  admin: [401, 403],
  citizen: [401, 403],
};

describe('partner routes: authorization matrix', () => {
  // In order: the exchange needs the pickup, which needs the slip.
  for (const route of routes) {
    it(`${route.name}: refuses every wrong caller and changes nothing; the right key works`, async () => {
      for (const caller of Object.keys(expected) as Caller[]) {
        const token =
          caller === 'none'
            ? undefined
            : caller === 'admin'
              ? adminToken
              : caller === 'citizen'
                ? citizenToken
                : route.keys[caller]();
        const body = await route.body();
        const before = await databaseState();
        const res = await api.call(route.method, route.path(), { token, body });
        expect(expected[caller], `${route.name} as ${caller}: ${res.status} ${res.text}`).toContain(
          res.status,
        );
        expect(res.body).toMatchObject({
          error: { code: res.status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN' },
        });
        expect(await databaseState(), `${route.name} as ${caller} changed the database`).toBe(before);
      }
      const res = await api.call(route.method, route.path(), {
        token: route.right(),
        body: await route.body(),
      });
      expect(res.status, `${route.name} with the right key: ${res.text}`).toBe(route.ok);
    });
  }
});
