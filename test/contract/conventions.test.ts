// Over 300 lines: API.md "Conventions" as one contract section (errors, auth, expiry, cryptography).
/**
 * API.md "Conventions", "Process and environment" and "Simulation" (clock): the error shape,
 * validation, auth and token expiry, cryptography formats, one-time things' lifetimes, health,
 * the generated OpenAPI. HTTP only.
 */
import { generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../support/app.js';
import {
  adminLogin,
  createPharmacy,
  createRound,
  createStore,
  issueCard,
  loginWithCard,
  newChallenge,
  newDeviceKeys,
  phoneAuth,
  randomNationalId,
  registerCard,
  setClock,
  signNonce,
} from '../support/factories.js';
import { setUpTestApp } from '../support/fixture.js';
import { client } from '../support/http.js';
import {
  ADMIN_PASSWORD,
  BASE64URL,
  cardInReader,
  expectClientError,
  expectError,
  expectPkcs8Ed25519,
  expectSpki,
  expectTime,
} from './kit.js';

const t = setUpTestApp();
const api = t.api;
let admin: string;

beforeAll(async () => {
  await setClock(api, '2020-03-10T09:00:00+08:00');
  admin = await t.admin();
});

/** Moves the platform clock; the operator signs in again (idle tokens lapse after 24 h). */
async function clockTo(iso: string): Promise<void> {
  await setClock(api, iso);
  admin = await adminLogin(api);
}

describe('Process and environment: health, readiness, docs', () => {
  it('an empty system without demo data: no rounds, no stores, only the open-data header', async () => {
    expect((await api.get('/api/v1/rounds')).body).toEqual({ rounds: [] });
    expect((await api.get('/api/v1/stores')).body).toEqual({ stores: [] });
    const csv = await api.get('/api/v1/open-data/pharmacy-stock.csv');
    expect(csv.status).toBe(200);
    expect(csv.text.split(/\r?\n/).filter(Boolean)).toHaveLength(1);
    const geo = await api.get<{ type: string; features: unknown[] }>('/api/v1/open-data/pharmacy-stock.json');
    expect(geo.body).toMatchObject({ type: 'FeatureCollection', features: [] });
  });

  it('without CLOCK=manual and SIMULATORS=on the simulation calls answer 404', async () => {
    const real = await startTestApp({
      CLOCK: 'real',
      SIMULATORS: 'off',
      ADMIN_PASSWORD: 'a-real-operator-password',
      BANK_NOTICE_SECRET: 'a-real-bank-notice-secret-0123456789',
      DATA_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 1).toString('base64')}`,
      BLIND_INDEX_KEY: Buffer.alloc(32, 2).toString('base64'),
    });
    try {
      const live = client(real.url);
      expectError(await live.put('/api/v1/sim/clock', { now: '2020-03-12T09:00:00+08:00' }), 404);
      expectError(await live.get('/api/v1/sim/clock'), 404);
      expectError(
        await live.post('/api/v1/sim/telecom/subscribers', {
          phone: '0912345678',
          carrier: 'CHT',
          plan: 'monthly',
          ownerId: 'A123456789',
          status: 'active',
          mobileData: true,
        }),
        404,
      );
      expectError(await live.post('/api/v1/sim/moica/certificates', { nationalId: 'A123456789' }), 404);
      expectError(await live.post('/api/v1/sim/bank/transfers', { toAccount: '1', amount: 22 }), 404);
      expectError(await live.get('/api/v1/sim/outbox?to=a%40example.com'), 404);
      expect((await live.get('/healthz')).status).toBe(200);
    } finally {
      await real.close();
    }
  });

  it('GET /healthz and GET /readyz answer 200', async () => {
    expect((await api.get('/healthz')).status).toBe(200);
    expect((await api.get('/readyz')).status).toBe(200);
  });

  it('GET /docs serves the generated OpenAPI, which lists every path of the contract', async () => {
    const docs = await api.get('/docs');
    expect([200, 302]).toContain(docs.status);
    const spec = await api.get<{ openapi: string; paths: Record<string, Record<string, unknown>> }>(
      '/docs/json',
    );
    expect(spec.status).toBe(200);
    expect(spec.body.openapi).toMatch(/^3\./);
    const contract: [string, string][] = [
      ['put', '/api/v1/sim/clock'],
      ['get', '/api/v1/sim/clock'],
      ['post', '/api/v1/sim/telecom/subscribers'],
      ['post', '/api/v1/sim/moica/certificates'],
      ['post', '/api/v1/sim/bank/transfers'],
      ['get', '/api/v1/sim/outbox'],
      ['post', '/api/v1/admin/login'],
      ['post', '/api/v1/admin/cards'],
      ['post', '/api/v1/admin/pharmacies'],
      ['post', '/api/v1/admin/stores'],
      ['post', '/api/v1/admin/stores/{id}/close'],
      ['post', '/api/v1/admin/airport-counters'],
      ['post', '/api/v1/admin/rounds'],
      ['post', '/api/v1/admin/rounds/{id}/draw'],
      ['get', '/api/v1/rounds'],
      ['get', '/api/v1/rounds/{id}/draw'],
      ['get', '/api/v1/stores'],
      ['get', '/api/v1/open-data/pharmacy-stock.csv'],
      ['get', '/api/v1/open-data/pharmacy-stock.json'],
      ['post', '/api/v1/orders/lookup'],
      ['post', '/api/v1/auth/challenges'],
      ['post', '/api/v1/auth/nhi-card/register'],
      ['post', '/api/v1/auth/nhi-card/login'],
      ['post', '/api/v1/auth/certificate/login'],
      ['post', '/api/v1/auth/phone'],
      ['post', '/api/v1/devices/codes'],
      ['post', '/api/v1/devices/bind'],
      ['post', '/api/v1/auth/device/login'],
      ['put', '/api/v1/rounds/{id}/order'],
      ['get', '/api/v1/me/orders'],
      ['get', '/api/v1/me/purchases'],
      ['post', '/api/v1/orders/{id}/payments/card'],
      ['put', '/api/v1/pharmacies/{code}/stock'],
      ['post', '/api/v1/pharmacies/{code}/sales'],
      ['post', '/api/v1/stores/{id}/pickup-slips'],
      ['post', '/api/v1/stores/{id}/pickups'],
      ['post', '/api/v1/stores/{id}/exchanges'],
      ['post', '/api/v1/airport-counters/{id}/sales'],
    ];
    const missing = contract.filter(([method, path]) => !spec.body.paths[path]?.[method]);
    expect(missing).toEqual([]);
  });
});

describe('Simulation: the manual clock', () => {
  it('PUT /api/v1/sim/clock sets the platform clock and GET reads it back, with an offset', async () => {
    const put = await api.put<{ now: string }>('/api/v1/sim/clock', { now: '2020-03-12T09:00:00+08:00' });
    expect(put.status).toBe(200);
    expectTime(put.body.now);
    expect(Date.parse(put.body.now)).toBe(Date.parse('2020-03-12T09:00:00+08:00'));
    expect(put.body.now).toBe('2020-03-12T09:00:00+08:00');
    const get = await api.get<{ now: string }>('/api/v1/sim/clock');
    expect(get.status).toBe(200);
    expectTime(get.body.now);
    expect(get.body.now).toBe('2020-03-12T09:00:00+08:00');
    // Any offset in, the same instant out (to the millisecond).
    const utc = await api.put<{ now: string }>('/api/v1/sim/clock', { now: '2020-03-12T01:00:00.250Z' });
    expect(utc.status).toBe(200);
    expectTime(utc.body.now);
    expect(Date.parse(utc.body.now)).toBe(Date.parse('2020-03-12T01:00:00.250Z'));
    await setClock(api, '2020-03-12T09:00:00+08:00');
  });

  it('stands still until it is moved', async () => {
    const a = await api.get<{ now: string }>('/api/v1/sim/clock');
    await new Promise((r) => setTimeout(r, 1100));
    const b = await api.get<{ now: string }>('/api/v1/sim/clock');
    expect(b.body.now).toBe(a.body.now);
  });

  it('refuses a body that is not an instant with 400 VALIDATION_FAILED naming `now`', async () => {
    const res = await api.put('/api/v1/sim/clock', { now: 'tomorrow' });
    const error = expectError(res, 400, 'VALIDATION_FAILED');
    expect(JSON.stringify(error)).toContain('now');
  });
});

describe('Errors: shape, validation, and never a 500 for bad input', () => {
  it('an unknown path is a 404 in the error shape', async () => {
    expectError(await api.get('/api/v1/no-such-thing'), 404);
  });

  it('400 VALIDATION_FAILED names the bad field', async () => {
    const res = await api.post(
      '/api/v1/admin/cards',
      { nationalId: randomNationalId(), name: '王小明', birthDate: '1985/06/15', nationality: 'TW' },
      { token: admin },
    );
    const error = expectError(res, 400, 'VALIDATION_FAILED');
    expect(JSON.stringify(error)).toContain('birthDate');
  });

  it('400 VALIDATION_FAILED names a missing field', async () => {
    const res = await api.post(
      '/api/v1/admin/stores',
      { chain: '7-11', storeNo: '123456', name: '門市', address: '臺北市', city: '臺北市' },
      { token: admin },
    );
    const error = expectError(res, 400, 'VALIDATION_FAILED');
    expect(JSON.stringify(error)).toContain('district');
  });

  it('400 VALIDATION_FAILED names every bad field when there are several', async () => {
    const res = await api.post(
      '/api/v1/admin/pharmacies',
      { code: 'short', name: '藥局', address: '臺北市', phone: '02', lat: 'north' },
      { token: admin },
    );
    const error = JSON.stringify(expectError(res, 400, 'VALIDATION_FAILED'));
    expect(error).toContain('code');
    expect(error).toContain('lat');
  });

  it('a body that is not JSON is refused (4xx in the error shape), never a 500', async () => {
    const res = await api.call('POST', '/api/v1/orders/lookup', { raw: '{"nationalId": "A12' });
    expectError(res, 400, 'VALIDATION_FAILED');
  });

  it('a body of the wrong type is refused, never a 500', async () => {
    const asText = await api.call('POST', '/api/v1/orders/lookup', {
      raw: 'nationalId=A123456789',
      headers: { 'content-type': 'text/plain' },
    });
    expectClientError(asText);
    const asArray = await api.call('POST', '/api/v1/orders/lookup', { raw: '[1,2,3]' });
    expectError(asArray, 400, 'VALIDATION_FAILED');
    const asString = await api.call('POST', '/api/v1/orders/lookup', { raw: '"A123456789"' });
    expectError(asString, 400, 'VALIDATION_FAILED');
    // Scalars may be coerced (42 → "42"); whatever the answer, it is not a 500.
    const wrongFieldType = await api.post('/api/v1/orders/lookup', { nationalId: 42, phoneLast3: 678 });
    expect(wrongFieldType.status).toBeLessThan(500);
    const objectForString = await api.post('/api/v1/orders/lookup', {
      nationalId: { a: 1 },
      phoneLast3: [1],
    });
    expectError(objectForString, 400, 'VALIDATION_FAILED');
    const stringForInteger = await api.post(
      '/api/v1/admin/rounds',
      { supplyPacks: 'many' },
      { token: admin },
    );
    expectError(stringForInteger, 400, 'VALIDATION_FAILED');
  });

  it('a body that is too large is refused, never a 500', async () => {
    const res = await api.call('POST', '/api/v1/orders/lookup', {
      raw: JSON.stringify({ nationalId: 'A'.repeat(2_000_000), phoneLast3: '123' }),
    });
    expectClientError(res);
  });

  it('an id in a path that is not a number is a 4xx, never a 500', async () => {
    expectClientError(await api.get('/api/v1/rounds/not-a-number/draw'));
    expectClientError(await api.get('/api/v1/rounds/99999999999999999999999/draw'));
  });
});

describe('Auth: 401, 403, 404 UNKNOWN_*', () => {
  it('401 for a missing or invalid token, 403 for a caller who may not do this', async () => {
    await clockTo('2020-03-12T09:30:00+08:00');
    expectError(await api.get('/api/v1/me/orders'), 401);
    expectError(await api.get('/api/v1/me/orders', { token: 'not-a-token' }), 401);
    expectError(await api.post('/api/v1/admin/airport-counters', { name: '桃園' }), 401);
    expectError(await api.post('/api/v1/admin/airport-counters', { name: '桃園' }, { token: 'bogus' }), 401);

    const card = await issueCard(api, admin);
    await registerCard(api, card);
    const citizen = await loginWithCard(api, card);
    expectError(await api.post('/api/v1/admin/airport-counters', { name: '桃園' }, { token: citizen }), 403);
    // An operator is not a citizen.
    expectError(await api.get('/api/v1/me/orders', { token: admin }), 403);

    const pharmacyA = await createPharmacy(api, admin);
    const pharmacyB = await createPharmacy(api, admin);
    const store = await createStore(api, admin);
    expectError(await api.put(`/api/v1/pharmacies/${pharmacyA.code}/stock`, { adult: 30, child: 50 }), 401);
    // A partner key works for its own partner only.
    expectError(
      await api.put(
        `/api/v1/pharmacies/${pharmacyA.code}/stock`,
        { adult: 30, child: 50 },
        { token: pharmacyB.apiKey },
      ),
      403,
    );
    expectError(
      await api.put(
        `/api/v1/pharmacies/${pharmacyA.code}/stock`,
        { adult: 30, child: 50 },
        { token: store.apiKey },
      ),
      403,
    );
    expectError(
      await api.put(
        `/api/v1/pharmacies/${pharmacyA.code}/stock`,
        { adult: 30, child: 50 },
        { token: citizen },
      ),
      401,
    );
    expect(
      (
        await api.put(
          `/api/v1/pharmacies/${pharmacyA.code}/stock`,
          { adult: 30, child: 50 },
          { token: pharmacyA.apiKey },
        )
      ).status,
    ).toBe(200);
  });

  it('404 with an UNKNOWN_* code for an unknown thing', async () => {
    const card = await issueCard(api, admin);
    await registerCard(api, card);
    const citizen = await loginWithCard(api, card);
    const store = await createStore(api, admin);
    expectError(await api.get('/api/v1/rounds/987654/draw'), 404, /^UNKNOWN_/);
    expectError(
      await api.post('/api/v1/admin/rounds/987654/draw', { seed: 'ab' }, { token: admin }),
      404,
      /^UNKNOWN_/,
    );
    expectError(
      await api.post('/api/v1/admin/stores/987654/close', { reassignTo: store.id }, { token: admin }),
      404,
      /^UNKNOWN_/,
    );
    expectError(
      await api.put(
        '/api/v1/rounds/987654/order',
        { storeId: store.id, phone: '0912345678', email: 'a@example.com' },
        {
          token: citizen,
        },
      ),
      404,
      /^UNKNOWN_/,
    );
    expectError(
      await api.post(
        '/api/v1/orders/987654/payments/card',
        { cardNumber: '4111111111111111', expiry: '12/29', cvc: '123', holder: 'A' },
        { token: citizen },
      ),
      404,
      /^UNKNOWN_/,
    );
    expectError(
      await api.post(
        `/api/v1/stores/${store.id}/pickup-slips`,
        { serial: '0000000000' },
        { token: store.apiKey },
      ),
      404,
      'UNKNOWN_SERIAL',
    );
  });

  it('an order for a store that does not exist is 404 UNKNOWN_STORE', async () => {
    await clockTo('2020-03-12T10:00:00+08:00');
    const round = await createRound(api, admin, { name: 'unknown-store round' });
    const card = await issueCard(api, admin);
    await registerCard(api, card);
    const citizen = await loginWithCard(api, card);
    const res = await api.put(
      `/api/v1/rounds/${round.id}/order`,
      { storeId: 987654, phone: '0912345678', email: 'a@example.com' },
      { token: citizen },
    );
    expectError(res, 404, 'UNKNOWN_STORE');
  });
});

describe('Auth: citizen and operator tokens expire 24 hours after their last use, by the platform clock', () => {
  it('a citizen token kept in use lives on; 24 idle hours end it', async () => {
    await clockTo('2020-04-01T08:00:00+08:00');
    const card = await issueCard(api, admin);
    await registerCard(api, card);
    const token = await loginWithCard(api, card);
    expect((await api.get('/api/v1/me/orders', { token })).status).toBe(200);
    await setClock(api, '2020-04-02T07:00:00+08:00'); // 23 h later
    expect((await api.get('/api/v1/me/orders', { token })).status).toBe(200);
    await setClock(api, '2020-04-03T06:00:00+08:00'); // 46 h after login, 23 h after last use
    expect((await api.get('/api/v1/me/purchases', { token })).status).toBe(200);
    await setClock(api, '2020-04-04T06:00:01+08:00'); // 24 h + 1 s after last use
    expectError(await api.get('/api/v1/me/orders', { token }), 401);
  });

  it('an operator token too', async () => {
    await clockTo('2020-04-10T08:00:00+08:00');
    const token = await adminLogin(api);
    expect((await api.post('/api/v1/admin/airport-counters', { name: 'T1' }, { token })).status).toBe(201);
    await setClock(api, '2020-04-11T07:59:00+08:00');
    expect((await api.post('/api/v1/admin/airport-counters', { name: 'T2' }, { token })).status).toBe(201);
    await setClock(api, '2020-04-12T08:00:00+08:00');
    expectError(await api.post('/api/v1/admin/airport-counters', { name: 'T3' }, { token }), 401);
  });

  it('partner keys last until revoked: months of platform time later they still work', async () => {
    await clockTo('2020-04-20T08:00:00+08:00');
    const pharmacy = await createPharmacy(api, admin);
    await setClock(api, '2021-01-20T08:00:00+08:00');
    const res = await api.put(
      `/api/v1/pharmacies/${pharmacy.code}/stock`,
      { adult: 3, child: 0 },
      { token: pharmacy.apiKey },
    );
    expect(res.status).toBe(200);
  });
});

describe('Cryptography and one-time things', () => {
  it('a card key is PKCS#8 PEM Ed25519; a signature is base64url over the nonce', async () => {
    await clockTo('2021-02-01T09:00:00+08:00');
    const res = await api.post<{ cardNo: string; privateKeyPem: string }>(
      '/api/v1/admin/cards',
      { nationalId: randomNationalId(), name: '林小華', birthDate: '1990-01-01', nationality: 'TW' },
      { token: admin },
    );
    expect(res.status).toBe(201);
    expectPkcs8Ed25519(res.body.privateKeyPem);
    const c = await newChallenge(api);
    expect(c.nonce).toBeTypeOf('string');
    expect(signNonce(res.body.privateKeyPem, c.nonce)).toMatch(BASE64URL);
    const keys = await newDeviceKeys();
    expectSpki(keys.publicKeyPem);
  });

  it('POST /auth/challenges: {challengeId, nonce, expiresAt}, at most 5 minutes, single use', async () => {
    await clockTo('2021-02-01T10:00:00+08:00');
    const card = await issueCard(api, admin);
    const created = await api.post<{ challengeId: string; nonce: string; expiresAt: string }>(
      '/api/v1/auth/challenges',
      {},
    );
    // API.md states no status for this row: 200 or 201 (a creation) are both read as success.
    expect([200, 201]).toContain(created.status);
    expect(created.body.challengeId).toBeTypeOf('string');
    expect(created.body.nonce).toBeTypeOf('string');
    expectTime(created.body.expiresAt);
    const life = Date.parse(created.body.expiresAt) - Date.parse('2021-02-01T10:00:00+08:00');
    expect(life).toBeGreaterThan(0);
    expect(life).toBeLessThanOrEqual(5 * 60 * 1000);

    const body = {
      cardNo: card.cardNo,
      challengeId: created.body.challengeId,
      signature: signNonce(card.privateKeyPem, created.body.nonce),
      password: 'first-password',
    };
    expect((await api.post('/api/v1/auth/nhi-card/register', body)).status).toBe(201);
    // Used once: the same challenge and signature cannot sign anyone in again.
    expectError(await api.post('/api/v1/auth/nhi-card/login', body), 401, 'AUTH_FAILED');

    // Not used within its life: refused (401 failed login, or 410 expired one-time code).
    const late = await newChallenge(api);
    await setClock(api, '2021-02-01T10:05:01+08:00');
    const res = await api.post('/api/v1/auth/nhi-card/login', {
      cardNo: card.cardNo,
      challengeId: late.challengeId,
      signature: signNonce(card.privateKeyPem, late.nonce),
      password: 'first-password',
    });
    expectClientError(res);
    expect([401, 410]).toContain(res.status);
    // And a fresh one still works.
    expect(await loginWithCard(api, card, 'first-password')).toBeTypeOf('string');
  });

  it('a pharmacy cannot sell against a used or expired challenge (422 CARD_NOT_PRESENT)', async () => {
    await clockTo('2021-02-07T10:00:00+08:00'); // a Sunday: any ID may buy
    const card = await issueCard(api, admin);
    const pharmacy = await createPharmacy(api, admin);
    await api.put(
      `/api/v1/pharmacies/${pharmacy.code}/stock`,
      { adult: 30, child: 50 },
      { token: pharmacy.apiKey },
    );
    const presence = await cardInReader(api, card);
    await setClock(api, '2021-02-07T10:05:01+08:00');
    expectError(
      await api.post(
        `/api/v1/pharmacies/${pharmacy.code}/sales`,
        { cardNo: card.cardNo, ...presence, item: 'adult' },
        { token: pharmacy.apiKey },
      ),
      422,
      'CARD_NOT_PRESENT',
    );
  });

  it('device codes: digits, a QR SVG, at most 10 minutes, single use, then 410 DEVICE_CODE_EXPIRED', async () => {
    await clockTo('2021-02-08T10:00:00+08:00');
    const card = await issueCard(api, admin);
    await registerCard(api, card);
    const web = await loginWithCard(api, card);
    const code = await api.post<{ code: string; qrSvg: string; expiresAt: string }>(
      '/api/v1/devices/codes',
      {},
      { token: web },
    );
    expect(code.status).toBe(201);
    expect(code.body.code).toMatch(/^\d+$/);
    expect(code.body.qrSvg).toContain('<svg');
    expectTime(code.body.expiresAt);
    const life = Date.parse(code.body.expiresAt) - Date.parse('2021-02-08T10:00:00+08:00');
    expect(life).toBeGreaterThan(0);
    expect(life).toBeLessThanOrEqual(10 * 60 * 1000);

    const keys = await newDeviceKeys();
    const bound = await api.post<{ deviceId: number; token: string }>('/api/v1/devices/bind', {
      code: code.body.code,
      devicePublicKeyPem: keys.publicKeyPem,
    });
    expect(bound.status).toBe(201);
    expect(Number.isInteger(bound.body.deviceId)).toBe(true);
    expect(bound.body.token).toBeTypeOf('string');
    const again = await api.post('/api/v1/devices/bind', {
      code: code.body.code,
      devicePublicKeyPem: (await newDeviceKeys()).publicKeyPem,
    });
    expectError(again, 410, 'DEVICE_CODE_EXPIRED');

    const late = await api.post<{ code: string }>('/api/v1/devices/codes', {}, { token: web });
    expect(late.status).toBe(201);
    await setClock(api, '2021-02-08T10:10:01+08:00');
    expectError(
      await api.post('/api/v1/devices/bind', { code: late.body.code, devicePublicKeyPem: keys.publicKeyPem }),
      410,
      'DEVICE_CODE_EXPIRED',
    );
  });

  it('device codes need a web session (NHI card or certificate): an app session is refused', async () => {
    await clockTo('2021-02-09T10:00:00+08:00');
    const card = await issueCard(api, admin);
    const app = await phoneAuth(api, card);
    expectError(await api.post('/api/v1/devices/codes', {}, { token: app.token }), 403);
    expectError(await api.post('/api/v1/devices/codes', {}), 401);
  });

  it('a device signs in with its Ed25519 key over a challenge nonce; another key fails', async () => {
    await clockTo('2021-02-10T10:00:00+08:00');
    const card = await issueCard(api, admin);
    const app = await phoneAuth(api, card);
    const c = await newChallenge(api);
    const ok = await api.post<{ token: string }>('/api/v1/auth/device/login', {
      deviceId: app.deviceId,
      challengeId: c.challengeId,
      signature: signNonce(app.keys.privateKeyPem, c.nonce),
    });
    expect(ok.status).toBe(200);
    expect(ok.body.token).toBeTypeOf('string');
    expect((await api.get('/api/v1/me/purchases', { token: ok.body.token })).status).toBe(200);

    const other = generateKeyPairSync('ed25519')
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const c2 = await newChallenge(api);
    expectError(
      await api.post('/api/v1/auth/device/login', {
        deviceId: app.deviceId,
        challengeId: c2.challengeId,
        signature: signNonce(other, c2.nonce),
      }),
      401,
    );
  });

  it('operators sign in with the ADMIN_PASSWORD', async () => {
    const res = await api.post<{ token: string }>('/api/v1/admin/login', {
      username: 'admin',
      password: ADMIN_PASSWORD,
    });
    expect(res.status).toBe(200);
    expect(res.body.token).toBeTypeOf('string');
  });
});
