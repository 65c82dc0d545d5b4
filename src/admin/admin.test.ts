// Over 300 lines: the operator API's resources (login, cards, partners, stores, rounds, platform) share one app and operator session.
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../../test/support/app.js';
import {
  ADMIN_PASSWORD,
  adminLogin,
  citizenToken,
  createOrderInState,
  createRound,
  createStore,
  issueCard,
  ROUND_1,
  randomNationalId,
  randomNewArc,
  setClock,
} from '../../test/support/factories.js';
import { setUpTestApp } from '../../test/support/fixture.js';
import { client } from '../../test/support/http.js';

const t = setUpTestApp();
const api = t.api;
let admin: string;

beforeAll(async () => {
  admin = await t.admin();
});

describe('operator login', () => {
  it('refuses a wrong password with BAD_CREDENTIALS and stores only a hash of the password and token', async () => {
    const res = await api.post('/api/v1/admin/login', { username: 'admin', password: 'wrong' });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: { code: 'BAD_CREDENTIALS' } });
    const [row] = await t.sql<
      { password_hash: string }[]
    >`select password_hash from admins where username = 'admin'`;
    expect(row?.password_hash).toMatch(/^scrypt\$/);
    expect(row?.password_hash).not.toContain(ADMIN_PASSWORD);
    const sessions = await t.sql<
      { token_hash: Buffer }[]
    >`select token_hash from sessions where kind = 'admin'`;
    expect(sessions.every((s) => !s.token_hash.toString('utf8').includes(admin))).toBe(true);
  });

  it('refuses admin calls without a token (401) and from a citizen token (403), writing nothing', async () => {
    const card = await issueCard(api, admin);
    const citizen = await citizenToken(t.sql, card.personId, 'web_card', t.deps.clock.now());
    const before = await t.sql`select count(*)::int as n from rounds`;
    const anonymous = await api.post('/api/v1/admin/rounds', ROUND_1);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    const asCitizen = await api.post('/api/v1/admin/rounds', ROUND_1, { token: citizen });
    expect(asCitizen.status).toBe(403);
    const bogus = await api.post('/api/v1/admin/rounds', ROUND_1, { token: 'adm_not-a-real-token' });
    expect(bogus.status).toBe(401);
    const after = await t.sql`select count(*)::int as n from rounds`;
    expect(after).toEqual(before);
  });

  it('expires an operator token 24 hours after its last use, by the platform clock', async () => {
    await setClock(api, '2020-03-01T09:00:00+08:00');
    const token = await adminLogin(api);
    await setClock(api, '2020-03-02T08:59:00+08:00');
    expect((await api.post('/api/v1/admin/airport-counters', { name: 'T1' }, { token })).status).toBe(201);
    // used at 03-02 08:59 → valid until 03-03 08:59
    await setClock(api, '2020-03-03T08:58:00+08:00');
    expect((await api.post('/api/v1/admin/airport-counters', { name: 'T1b' }, { token })).status).toBe(201);
    await setClock(api, '2020-03-04T09:00:00+08:00');
    expect((await api.post('/api/v1/admin/airport-counters', { name: 'T2' }, { token })).status).toBe(401);
    admin = await adminLogin(api);
  });
});

describe('card issuance', () => {
  it('creates the person and returns a 12-digit card number and an Ed25519 private key once', async () => {
    const nationalId = randomNationalId();
    const res = await api.post<{ cardNo: string; privateKeyPem: string }>(
      '/api/v1/admin/cards',
      { nationalId, name: '王小明', birthDate: '1990-01-01', nationality: 'TW' },
      { token: admin },
    );
    expect(res.status).toBe(201);
    expect(res.body.cardNo).toMatch(/^\d{12}$/);
    expect(res.body.privateKeyPem).toContain('BEGIN PRIVATE KEY');
    const [card] = await t.sql<
      { public_key_pem: string }[]
    >`select public_key_pem from cards where card_no = ${res.body.cardNo}`;
    expect(card?.public_key_pem).toContain('BEGIN PUBLIC KEY');
    const stored = await t.sql`select * from cards where card_no = ${res.body.cardNo}`;
    expect(JSON.stringify(stored)).not.toContain('PRIVATE');
  });

  it('refuses a national ID with a wrong check digit (400 INVALID_NATIONAL_ID)', async () => {
    const res = await api.post(
      '/api/v1/admin/cards',
      { nationalId: 'A123456788', name: 'x', birthDate: '1990-01-01', nationality: 'TW' },
      { token: admin },
    );
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'INVALID_NATIONAL_ID' } });
  });

  it('accepts foreign residents by resident certificate number, old and 2021 formats', async () => {
    const newArc = randomNewArc();
    await issueCard(api, admin, { nationalId: newArc, nationality: 'foreign' });
    await issueCard(api, admin, { nationalId: 'AA00000009', nationality: 'foreign' });
    const bad = await api.post(
      '/api/v1/admin/cards',
      { nationalId: 'AA00000008', name: 'x', birthDate: '1990-01-01', nationality: 'foreign' },
      { token: admin },
    );
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'INVALID_NATIONAL_ID' } });
  });

  it('a reissued card replaces the earlier one for the same person', async () => {
    const nationalId = randomNationalId();
    const first = await issueCard(api, admin, { nationalId });
    const second = await issueCard(api, admin, { nationalId });
    expect(second.personId).toBe(first.personId);
    expect(second.cardNo).not.toBe(first.cardNo);
    const rows = await t.sql<{ card_no: string; revoked: boolean }[]>`
      select card_no, revoked_at is not null as revoked from cards where person_id = ${first.personId} order by card_no`;
    expect(rows).toEqual([
      { card_no: first.cardNo, revoked: true },
      { card_no: second.cardNo, revoked: false },
    ]);
  });
});

describe('partners', () => {
  it('issues a pharmacy key once, stores only its hash and refuses a duplicate code', async () => {
    const body = {
      code: '5901010101',
      name: '健康藥局',
      address: '臺北市大安區復興南路一段1號',
      phone: '02-27000000',
    };
    const res = await api.post<{ code: string; apiKey: string }>('/api/v1/admin/pharmacies', body, {
      token: admin,
    });
    expect(res.status).toBe(201);
    expect(res.body.apiKey.length).toBeGreaterThan(30);
    const keys = await t.sql<
      { key_hash: Buffer }[]
    >`select key_hash from partner_keys where partner_ref = '5901010101'`;
    expect(keys).toHaveLength(1);
    expect(keys[0]?.key_hash.toString('utf8')).not.toContain(res.body.apiKey);
    const [ph] = await t.sql<
      { city: string; district: string }[]
    >`select city, district from pharmacies where code = '5901010101'`;
    expect(ph).toEqual({ city: '臺北市', district: '大安區' });
    const dup = await api.post('/api/v1/admin/pharmacies', body, { token: admin });
    expect(dup.status).toBe(409);
  });

  it('validates the pharmacy code length', async () => {
    const res = await api.post(
      '/api/v1/admin/pharmacies',
      { code: '123', name: 'x', address: 'y', phone: 'z' },
      { token: admin },
    );
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });
});

describe('stores', () => {
  it('lists stores by chain, city, district and text, and shows whether they are open', async () => {
    const a = await createStore(api, admin, {
      chain: 'FamilyMart',
      city: '高雄市',
      district: '前鎮區',
      name: '全家高雄中華店',
    });
    await createStore(api, admin, { chain: 'OK', city: '高雄市', district: '前鎮區', name: 'OK前鎮店' });
    await createStore(api, admin, {
      chain: 'FamilyMart',
      city: '臺中市',
      district: '西屯區',
      name: '全家台中店',
    });
    const res = await api.get<{ stores: { id: number; chain: string; open: boolean }[] }>(
      `/api/v1/stores?chain=FamilyMart&city=${encodeURIComponent('高雄市')}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.stores.map((s) => s.id)).toEqual([a.id]);
    expect(res.body.stores[0]).toMatchObject({
      chain: 'FamilyMart',
      open: true,
      storeNo: expect.any(String),
    });
    const byText = await api.get<{ stores: { name: string }[] }>(
      `/api/v1/stores?q=${encodeURIComponent('前鎮')}`,
    );
    expect(byText.body.stores.map((s) => s.name)).toEqual(['OK前鎮店']);
    const badChain = await api.get('/api/v1/stores?chain=Costco');
    expect(badChain.status).toBe(400);
  });

  it('closing a store moves its open orders to the reassigned store and leaves collected ones', async () => {
    const round = await createRound(api, admin, { name: 'close-test' });
    const from = await createStore(api, admin);
    const to = await createStore(api, admin);
    const [p1, p2] = [await issueCard(api, admin), await issueCard(api, admin)];
    const now = t.deps.clock.now();
    for (const [person, state] of [
      [p1.personId, 'paid'],
      [p2.personId, 'collected'],
    ] as const) {
      await createOrderInState(t, { roundId: round.id, personId: person, storeId: from.id, now, state });
    }
    const res = await api.post(
      `/api/v1/admin/stores/${from.id}/close`,
      { reassignTo: to.id },
      { token: admin },
    );
    expect(res.status).toBe(200);
    const rows = await t.sql<{ person_id: number; store_id: number }[]>`
      select person_id, store_id from orders where round_id = ${round.id} order by person_id`;
    expect(rows).toEqual([
      { person_id: p1.personId, store_id: to.id },
      { person_id: p2.personId, store_id: from.id },
    ]);
    const list = await api.get<{ stores: { id: number; open: boolean }[] }>('/api/v1/stores?limit=1000');
    expect(list.body.stores.find((s) => s.id === from.id)?.open).toBe(false);
    const intoClosed = await api.post(
      `/api/v1/admin/stores/${to.id}/close`,
      { reassignTo: from.id },
      { token: admin },
    );
    expect(intoClosed.status).toBe(409);
    const unknown = await api.post(
      `/api/v1/admin/stores/999999/close`,
      { reassignTo: to.id },
      { token: admin },
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: 'UNKNOWN_STORE' } });
  });
});

describe('rounds', () => {
  it('creates a round and derives its state from the platform clock', async () => {
    const round = await createRound(api, admin, { name: '第1輪-state' });
    expect(round.id).toEqual(expect.any(Number));
    const stateAt = async (iso: string) => {
      await setClock(api, iso);
      const res = await api.get<{ rounds: { id: number; state: string }[] }>('/api/v1/rounds');
      return res.body.rounds.find((r) => r.id === round.id)?.state;
    };
    expect(await stateAt('2020-03-11T12:00:00+08:00')).toBe('upcoming');
    expect(await stateAt('2020-03-12T09:00:00+08:00')).toBe('registration');
    expect(await stateAt('2020-03-18T21:00:00+08:00')).toBe('drawing');
    expect(await stateAt('2020-03-20T09:00:00+08:00')).toBe('payment');
    expect(await stateAt('2020-03-27T09:00:00+08:00')).toBe('pickup');
    expect(await stateAt('2020-04-02T09:00:00+08:00')).toBe('closed');
    admin = await adminLogin(api);
  });

  it('refuses windows in the wrong order', async () => {
    const res = await api.post(
      '/api/v1/admin/rounds',
      { ...ROUND_1, registrationClosesAt: '2020-03-11T00:00:00+08:00' },
      { token: admin },
    );
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    // The answer names the fields to mark, not just "body", and says what is wrong with them.
    expect(res.body).toMatchObject({
      error: {
        message: expect.stringContaining('registration must close after it opens'),
        fields: [
          {
            field: 'body/registrationClosesAt',
            after: 'body/registrationOpensAt',
            problem: 'registration must close after it opens',
          },
        ],
      },
    });
  });
});

describe('platform', () => {
  it('answers health and readiness, and serves the OpenAPI document', async () => {
    expect((await api.get('/healthz')).status).toBe(200);
    expect((await api.get('/readyz')).status).toBe(200);
    const docs = await api.get<{ paths: Record<string, unknown> }>('/docs/json');
    expect(docs.status).toBe(200);
    expect(Object.keys(docs.body.paths)).toContain('/api/v1/admin/cards');
  });

  it('turns malformed, oversized and mistyped bodies into 4xx with an error code', async () => {
    const malformed = await api.call('POST', '/api/v1/admin/login', { raw: '{"username":' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    const big = await api.call('POST', '/api/v1/admin/login', {
      raw: JSON.stringify({ username: 'x'.repeat(200_000), password: 'y' }),
    });
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    const wrongType = await api.call('POST', '/api/v1/admin/login', {
      raw: 'username=admin',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(wrongType.status).toBe(415);
    const wrongShape = await api.post('/api/v1/admin/login', { username: 5 });
    expect(wrongShape.status).toBe(400);
    expect(wrongShape.body).toMatchObject({
      error: { code: 'VALIDATION_FAILED', fields: expect.any(Array) },
    });
    const unknown = await api.get('/api/v1/nothing-here');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: 'UNKNOWN_ROUTE' } });
  });

  it('treats an empty JSON body as no body: fine where none is needed, a validation error where one is', async () => {
    const challenge = await api.call('POST', '/api/v1/auth/challenges', {
      raw: '',
      headers: { 'content-type': 'application/json' },
    });
    expect(challenge.status).toBe(201);
    const login = await api.call('POST', '/api/v1/admin/login', {
      raw: '',
      headers: { 'content-type': 'application/json' },
    });
    expect(login.status).toBe(400);
    expect(login.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });

  it('keeps the manual clock across a restart', async () => {
    await setClock(api, '2020-03-20T10:00:00+08:00');
    const second = await startTestApp({ DATABASE_URL: t.databaseUrl });
    try {
      const res = await client(second.url).get<{ now: string }>('/api/v1/sim/clock');
      expect(new Date(res.body.now).toISOString()).toBe(new Date('2020-03-20T10:00:00+08:00').toISOString());
    } finally {
      await second.close();
    }
  });

  it('answers 404 for the clock when the clock is real', async () => {
    const real = await startTestApp({ CLOCK: 'real' });
    try {
      expect((await client(real.url).get('/api/v1/sim/clock')).status).toBe(404);
      expect(
        (await client(real.url).put('/api/v1/sim/clock', { now: '2020-03-12T09:00:00+08:00' })).status,
      ).toBe(404);
    } finally {
      await real.close();
    }
  });
});
