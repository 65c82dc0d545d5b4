// Over 300 lines: one table of every route that answers personal data, checked against one populated app.
import { randomInt } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  addTelecomSubscriber,
  CARD_PASSWORD,
  cardPresence,
  citizenLogin,
  createOrderInState,
  createPharmacy,
  createRound,
  createStore,
  issueCard,
  issueCitizenCertificate,
  newChallenge,
  newDeviceKeys,
  phoneAuth,
  randomNationalId,
  setClock,
  signNonce,
  type TestCard,
} from '../support/factories.js';
import { setUpTestApp } from '../support/fixture.js';
import type { Reply } from '../support/http.js';

/**
 * API.md v1.1: answers that carry personal data (sign-ins, /me/*, the look-up) carry
 * `Cache-Control: no-store`; so do operator sign-in, answers with card private keys or API keys,
 * pickup slips and pickups (the buyer's masked name), and the rest listed in docs/SECURITY.md
 * "Output hygiene". Success and error answers alike, never with an ETag (so never a 304).
 */

const NOW = '2020-03-27T10:00:00+08:00';

const t = setUpTestApp();
const api = t.api;
let admin: string;
let citizen: { card: TestCard; token: string };
let pickupRound: number;
let openRound: number;
let payingRound: number;
let store: { id: number; apiKey: string };
let pharmacy: { code: string; apiKey: string };

beforeAll(async () => {
  await setClock(api, NOW);
  admin = await t.admin();
  citizen = await citizenLogin(api, admin);
  pickupRound = (await createRound(api, admin)).id; // pickup 03-26 … 04-01
  openRound = (
    await createRound(api, admin, {
      name: 'open',
      registrationOpensAt: '2020-03-27T09:00:00+08:00',
      registrationClosesAt: '2020-03-28T20:00:00+08:00',
      paymentOpensAt: '2020-03-29T09:00:00+08:00',
      paymentClosesAt: '2020-03-30T20:00:00+08:00',
      pickupStartsOn: '2020-03-31',
      pickupEndsOn: '2020-04-02',
    })
  ).id;
  payingRound = (
    await createRound(api, admin, {
      name: 'paying',
      registrationOpensAt: '2020-03-20T09:00:00+08:00',
      registrationClosesAt: '2020-03-22T20:00:00+08:00',
      paymentOpensAt: '2020-03-26T09:00:00+08:00',
      paymentClosesAt: '2020-03-28T20:00:00+08:00',
      pickupStartsOn: '2020-03-29',
      pickupEndsOn: '2020-04-03',
    })
  ).id;
  store = await createStore(api, admin);
  pharmacy = await createPharmacy(api, admin);
});

const now = () => t.deps.clock.now();

/** A paid order of a new person, at `store`, in the round whose pickup window is open. */
async function paidOrder() {
  const card = await issueCard(api, admin, { name: '王小明' });
  const order = await createOrderInState(t, {
    roundId: pickupRound,
    personId: card.personId,
    storeId: store.id,
    state: 'paid',
    now: new Date('2020-03-20T10:00:00+08:00'),
  });
  return { card, serial: order.pickupSerial as string };
}

const cardLogin = async (card: TestCard, password: string) => {
  const c = await newChallenge(api);
  return api.post('/api/v1/auth/nhi-card/login', {
    cardNo: card.cardNo,
    challengeId: c.challengeId,
    signature: signNonce(card.privateKeyPem, c.nonce),
    password,
  });
};

interface Case {
  route: string;
  success: () => Promise<Reply>;
  status: number;
  error: () => Promise<Reply>;
  errorStatus: number;
}

const CASES: Case[] = [
  {
    route: 'POST /api/v1/auth/nhi-card/register',
    status: 201,
    success: async () => {
      const card = await issueCard(api, admin);
      const c = await newChallenge(api);
      return api.post('/api/v1/auth/nhi-card/register', {
        cardNo: card.cardNo,
        challengeId: c.challengeId,
        signature: signNonce(card.privateKeyPem, c.nonce),
        password: CARD_PASSWORD,
      });
    },
    errorStatus: 400,
    error: () => api.post('/api/v1/auth/nhi-card/register', {}),
  },
  {
    route: 'POST /api/v1/auth/nhi-card/login',
    status: 200,
    success: () => cardLogin(citizen.card, CARD_PASSWORD),
    errorStatus: 401,
    error: () => cardLogin(citizen.card, 'not-the-password'),
  },
  {
    route: 'POST /api/v1/auth/nhi-card/login (body not JSON)',
    status: 200,
    success: () => cardLogin(citizen.card, CARD_PASSWORD),
    errorStatus: 400,
    error: () => api.call('POST', '/api/v1/auth/nhi-card/login', { raw: '{"cardNo":' }),
  },
  {
    route: 'POST /api/v1/auth/certificate/login',
    status: 200,
    success: async () => {
      const certificate = await issueCitizenCertificate(api, citizen.card.nationalId);
      const c = await newChallenge(api);
      return api.post('/api/v1/auth/certificate/login', {
        certificatePem: certificate.certificatePem,
        challengeId: c.challengeId,
        signature: signNonce(certificate.privateKeyPem, c.nonce),
        nationalId: citizen.card.nationalId,
      });
    },
    errorStatus: 400,
    error: () => api.post('/api/v1/auth/certificate/login', { nationalId: citizen.card.nationalId }),
  },
  {
    route: 'POST /api/v1/auth/phone',
    status: 201,
    success: async () => {
      const card = await issueCard(api, admin);
      const line = await addTelecomSubscriber(api, card.nationalId);
      return api.post('/api/v1/auth/phone', {
        phone: line.phone,
        nationalId: card.nationalId,
        cardLast4: card.cardNo.slice(-4),
        password: 'app-password-1',
        devicePublicKeyPem: (await newDeviceKeys()).publicKeyPem,
      });
    },
    errorStatus: 403,
    error: async () => {
      const card = await issueCard(api, admin);
      const line = await addTelecomSubscriber(api, card.nationalId);
      return api.post('/api/v1/auth/phone', {
        phone: line.phone,
        nationalId: card.nationalId,
        cardLast4: String((Number(card.cardNo.slice(-4)) + 1) % 10_000).padStart(4, '0'),
        password: 'app-password-1',
        devicePublicKeyPem: (await newDeviceKeys()).publicKeyPem,
      });
    },
  },
  {
    route: 'POST /api/v1/auth/device/login',
    status: 200,
    success: async () => {
      const device = await phoneAuth(api, await issueCard(api, admin));
      const c = await newChallenge(api);
      return api.post('/api/v1/auth/device/login', {
        deviceId: device.deviceId,
        challengeId: c.challengeId,
        signature: signNonce(device.keys.privateKeyPem, c.nonce),
      });
    },
    errorStatus: 401,
    error: async () => {
      const device = await phoneAuth(api, await issueCard(api, admin));
      const c = await newChallenge(api);
      return api.post('/api/v1/auth/device/login', {
        deviceId: device.deviceId,
        challengeId: c.challengeId,
        signature: signNonce((await newDeviceKeys()).privateKeyPem, c.nonce),
      });
    },
  },
  {
    route: 'POST /api/v1/devices/codes',
    status: 201,
    success: () => api.post('/api/v1/devices/codes', {}, { token: citizen.token }),
    errorStatus: 401,
    error: () => api.post('/api/v1/devices/codes', {}),
  },
  {
    route: 'POST /api/v1/devices/bind',
    status: 201,
    success: async () => {
      const code = await api.post<{ code: string }>('/api/v1/devices/codes', {}, { token: citizen.token });
      return api.post('/api/v1/devices/bind', {
        code: code.body.code,
        devicePublicKeyPem: (await newDeviceKeys()).publicKeyPem,
      });
    },
    errorStatus: 400,
    error: () => api.post('/api/v1/devices/bind', { code: '' }),
  },
  {
    route: 'GET /api/v1/auth/session',
    status: 200,
    success: () => api.get('/api/v1/auth/session', { token: citizen.token }),
    errorStatus: 401,
    error: () => api.get('/api/v1/auth/session', { token: 'not-a-token' }),
  },
  {
    route: 'POST /api/v1/admin/counter-registrations',
    status: 201,
    success: async () => {
      const card = await issueCard(api, admin);
      return api.post(
        '/api/v1/admin/counter-registrations',
        {
          nationalId: card.nationalId,
          documents: { nhiCardNo: card.cardNo, idCardNumber: card.nationalId, householdRegister: true },
          devicePublicKeyPem: (await newDeviceKeys()).publicKeyPem,
        },
        { token: admin },
      );
    },
    errorStatus: 400,
    error: () => api.post('/api/v1/admin/counter-registrations', {}, { token: admin }),
  },
  {
    route: 'GET /api/v1/me/orders',
    status: 200,
    success: () => api.get('/api/v1/me/orders', { token: citizen.token }),
    errorStatus: 401,
    error: () => api.get('/api/v1/me/orders'),
  },
  {
    route: 'GET /api/v1/me/purchases',
    status: 200,
    success: () => api.get('/api/v1/me/purchases', { token: citizen.token }),
    errorStatus: 401,
    error: () => api.get('/api/v1/me/purchases'),
  },
  {
    route: 'POST /api/v1/orders/lookup',
    status: 200,
    success: () =>
      api.post('/api/v1/orders/lookup', { nationalId: citizen.card.nationalId, phoneLast3: '123' }),
    errorStatus: 400,
    error: () => api.post('/api/v1/orders/lookup', { nationalId: 'x' }),
  },
  {
    route: 'PUT /api/v1/rounds/{id}/order',
    status: 200,
    success: () =>
      api.put(
        `/api/v1/rounds/${openRound}/order`,
        { storeId: store.id, phone: '0912345678', email: 'someone@example.tw' },
        { token: citizen.token },
      ),
    errorStatus: 409,
    error: () =>
      api.put(
        `/api/v1/rounds/${pickupRound}/order`,
        { storeId: store.id, phone: '0912345678', email: 'someone@example.tw' },
        { token: citizen.token },
      ),
  },
  {
    route: 'POST /api/v1/orders/{id}/payments/card',
    status: 201,
    success: async () => {
      const order = await createOrderInState(t, {
        roundId: payingRound,
        personId: citizen.card.personId,
        storeId: store.id,
        now: new Date('2020-03-21T10:00:00+08:00'),
      });
      return api.post(
        `/api/v1/orders/${order.id}/payments/card`,
        { cardNumber: '4111 1111 1111 1111', expiry: '12/25', cvc: '123', holder: 'Someone' },
        { token: citizen.token },
      );
    },
    errorStatus: 401,
    error: () => api.post('/api/v1/orders/1/payments/card', {}),
  },
  {
    route: 'POST /api/v1/admin/login',
    status: 200,
    success: () => api.post('/api/v1/admin/login', { username: 'admin', password: ADMIN_PASSWORD }),
    errorStatus: 401,
    error: () => api.post('/api/v1/admin/login', { username: 'admin', password: 'wrong' }),
  },
  {
    route: 'POST /api/v1/admin/cards',
    status: 201,
    success: () =>
      api.post(
        '/api/v1/admin/cards',
        { nationalId: randomNationalId(), name: '陳小華', birthDate: '1980-02-02', nationality: 'TW' },
        { token: admin },
      ),
    errorStatus: 400,
    error: () =>
      api.post(
        '/api/v1/admin/cards',
        { nationalId: 'A123456788', name: '陳小華', birthDate: '1980-02-02', nationality: 'TW' },
        { token: admin },
      ),
  },
  {
    route: 'POST /api/v1/admin/pharmacies',
    status: 201,
    success: () =>
      api.post(
        '/api/v1/admin/pharmacies',
        {
          code: `57${String(randomInt(1e8)).padStart(8, '0')}`,
          name: '藥局',
          address: '臺北市',
          phone: '02-1',
        },
        { token: admin },
      ),
    errorStatus: 400,
    error: () => api.post('/api/v1/admin/pharmacies', { code: 'short' }, { token: admin }),
  },
  {
    route: 'POST /api/v1/admin/stores',
    status: 201,
    success: () =>
      api.post(
        '/api/v1/admin/stores',
        {
          chain: 'OK',
          storeNo: String(randomInt(1e9)),
          name: 'OK超商',
          address: '臺北市',
          city: '臺北市',
          district: '中正區',
        },
        { token: admin },
      ),
    errorStatus: 401,
    error: () =>
      api.post('/api/v1/admin/stores', {
        chain: 'OK',
        storeNo: String(randomInt(1e9)),
        name: 'OK超商',
        address: '臺北市',
        city: '臺北市',
        district: '中正區',
      }),
  },
  {
    route: 'POST /api/v1/admin/airport-counters',
    status: 201,
    success: () => api.post('/api/v1/admin/airport-counters', { name: 'T2' }, { token: admin }),
    errorStatus: 400,
    error: () => api.post('/api/v1/admin/airport-counters', { name: '' }, { token: admin }),
  },
  {
    route: 'POST /api/v1/stores/{id}/pickup-slips',
    status: 201,
    success: async () =>
      api.post(
        `/api/v1/stores/${store.id}/pickup-slips`,
        { serial: (await paidOrder()).serial },
        { token: store.apiKey },
      ),
    errorStatus: 404,
    error: () =>
      api.post(
        `/api/v1/stores/${store.id}/pickup-slips`,
        { serial: 'ZZZZZZZZZZZZ' },
        { token: store.apiKey },
      ),
  },
  {
    route: 'POST /api/v1/stores/{id}/pickups',
    status: 201,
    success: async () => {
      const order = await paidOrder();
      return api.post(
        `/api/v1/stores/${store.id}/pickups`,
        { serial: order.serial, buyerDocument: { type: 'id_card', number: order.card.nationalId } },
        { token: store.apiKey },
      );
    },
    errorStatus: 422,
    error: async () => {
      const order = await paidOrder();
      return api.post(
        `/api/v1/stores/${store.id}/pickups`,
        { serial: order.serial, buyerDocument: { type: 'id_card', number: randomNationalId() } },
        { token: store.apiKey },
      );
    },
  },
  {
    route: 'POST /api/v1/pharmacies/{code}/eligibility',
    status: 200,
    success: async () =>
      api.post(
        `/api/v1/pharmacies/${pharmacy.code}/eligibility`,
        { cardNo: citizen.card.cardNo, ...(await cardPresence(t.deps.vault, citizen.card, now())) },
        { token: pharmacy.apiKey },
      ),
    errorStatus: 401,
    error: async () =>
      api.post(`/api/v1/pharmacies/${pharmacy.code}/eligibility`, {
        cardNo: citizen.card.cardNo,
        ...(await cardPresence(t.deps.vault, citizen.card, now())),
      }),
  },
  {
    route: 'POST /api/v1/sim/moica/certificates',
    status: 201,
    success: () => api.post('/api/v1/sim/moica/certificates', { nationalId: citizen.card.nationalId }),
    errorStatus: 400,
    error: () => api.post('/api/v1/sim/moica/certificates', {}),
  },
  {
    route: 'GET /api/v1/sim/outbox',
    status: 200,
    success: () => api.get('/api/v1/sim/outbox?to=0912345678'),
    errorStatus: 400,
    error: () => api.get('/api/v1/sim/outbox?to='),
  },
];

const expectNoStore = (res: Reply, label: string) => {
  expect(res.headers.get('cache-control'), label).toBe('no-store');
  expect(res.headers.get('etag'), label).toBeNull();
  expect(res.headers.get('last-modified'), label).toBeNull();
};

describe('Cache-Control: no-store on answers with personal data or secrets', () => {
  for (const c of CASES) {
    it(`${c.route}: no-store on success (${c.status}) and on error (${c.errorStatus})`, async () => {
      await setClock(api, NOW);
      const ok = await c.success();
      expect(ok.status, ok.text).toBe(c.status);
      expectNoStore(ok, `${c.route} success`);
      const bad = await c.error();
      expect(bad.status, bad.text).toBe(c.errorStatus);
      expectNoStore(bad, `${c.route} error`);
    });
  }

  it('GET answers among them are never 304, whatever If-None-Match or If-Modified-Since say', async () => {
    const conditional = { 'if-none-match': '*', 'if-modified-since': new Date().toUTCString() };
    for (const path of ['/api/v1/me/orders', '/api/v1/me/purchases', '/api/v1/auth/session']) {
      const res = await api.get(path, { token: citizen.token, headers: conditional });
      expect(res.status, path).toBe(200);
      expectNoStore(res, path);
    }
  });

  it('answers without personal data are left to their own caching rules', async () => {
    const rounds = await api.get('/api/v1/rounds');
    expect(rounds.status).toBe(200);
    expect(rounds.headers.get('cache-control')).not.toBe('no-store');
    const csv = await api.get('/api/v1/open-data/pharmacy-stock.csv');
    expect(csv.headers.get('cache-control')).toBe('public, max-age=1, must-revalidate');
    expect(csv.headers.get('etag')).not.toBeNull();
  });
});
