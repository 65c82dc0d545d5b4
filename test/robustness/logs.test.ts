import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDemoDataset } from '../../src/demo/demo-dataset.js';
import { DEFAULT_DEMO_SEED } from '../../src/demo/derive.js';
import { maskId } from '../../src/rules/ids.js';
import {
  adminLogin,
  cardPresence,
  createPharmacy,
  createRound,
  createStore,
  issueCard,
  loginWithCard,
  phoneAuth,
  registerCard,
  setClock,
  setPharmacyStock,
  type TestCard,
} from '../support/factories.js';
import { setUpTestApp } from '../support/fixture.js';
import type { Reply } from '../support/http.js';

/**
 * Personal data (issue 6 point 4): a whole flow with the app logging at level trace into a
 * captured stream; no national ID, phone number, e-mail address or name reaches the log.
 * Answers show masked IDs and names only, and operator and partner actions leave audit rows
 * without personal data in an append-only audit log.
 */
const lines: string[] = [];
const capture = new Writable({
  write(chunk: Buffer, _encoding, done) {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  },
});

const demo = buildDemoDataset(DEFAULT_DEMO_SEED);
const [alice, bob] = demo.people.filter((p) => p.nationality === 'TW' && p.idFormat === 'national');
if (!alice || !bob) throw new Error('the demo data set has no national IDs');

const t = setUpTestApp({}, { logStream: capture });
const api = t.api;
let adminToken = '';
const answers: { what: string; reply: Reply }[] = [];
let buyer: TestCard;
let walkIn: TestCard;
const email = 'alice.chen.private@example.tw';
let phone = '';
let slip: Reply;

function keep(what: string, reply: Reply): Reply {
  answers.push({ what, reply });
  return reply;
}

beforeAll(async () => {
  adminToken = await t.admin();
  const round = await createRound(api, adminToken, { supplyPacks: 10 });
  const storeA = await createStore(api, adminToken);
  const storeB = await createStore(api, adminToken);
  const pharmacy = await createPharmacy(api, adminToken);
  await setPharmacyStock(api, pharmacy, { adult: 300, child: 100 });

  buyer = await issueCard(api, adminToken, { nationalId: alice.nationalId, name: alice.name });
  walkIn = await issueCard(api, adminToken, { nationalId: bob.nationalId, name: bob.name });
  await registerCard(api, buyer);
  let token = await loginWithCard(api, buyer);
  const app = await phoneAuth(api, buyer);
  phone = app.phone;

  // 3/12 registration: order.
  keep(
    'order',
    await api.put(`/api/v1/rounds/${round.id}/order`, { storeId: storeA.id, phone, email }, { token }),
  );
  // Sunday 3/15: a pharmacy sale to someone else (any ID may buy on Sunday).
  await setClock(api, '2020-03-15T10:00:00+08:00');
  const presence = await cardPresence(t.deps.vault, walkIn, new Date('2020-03-15T10:00:00+08:00'));
  keep(
    'sale',
    await api.post(
      `/api/v1/pharmacies/${pharmacy.code}/sales`,
      { cardNo: walkIn.cardNo, ...presence, item: 'adult' },
      { token: pharmacy.apiKey },
    ),
  );
  // 3/19: the draw; 3/20: payment by ATM transfer.
  await setClock(api, '2020-03-19T10:00:00+08:00');
  // Sessions end 24 hours after their last use: sign in again after a jump of the clock.
  adminToken = await adminLogin(api);
  token = await loginWithCard(api, buyer);
  keep(
    'draw',
    await api.post(`/api/v1/admin/rounds/${round.id}/draw`, { seed: 'ab12' }, { token: adminToken }),
  );
  const mine = keep(
    'me/orders',
    await api.get<{ orders: { virtualAccount?: string }[] }>('/api/v1/me/orders', { token }),
  );
  const account = (mine.body as { orders: { virtualAccount?: string }[] }).orders[0]?.virtualAccount;
  await setClock(api, '2020-03-20T09:00:00+08:00');
  keep('transfer', await api.post('/api/v1/sim/bank/transfers', { toAccount: account, amount: 22 }));
  const paid = await api.get<{ orders: { pickupSerial?: string }[] }>('/api/v1/me/orders', { token });
  const serial = paid.body.orders[0]?.pickupSerial;
  // Look-ups: the right pair and a wrong one.
  keep(
    'lookup',
    await api.post('/api/v1/orders/lookup', { nationalId: alice.nationalId, phoneLast3: phone.slice(-3) }),
  );
  keep(
    'lookup-wrong',
    await api.post('/api/v1/orders/lookup', { nationalId: alice.nationalId, phoneLast3: '000' }),
  );
  // 3/26: pickup at the store; then store B closes.
  await setClock(api, '2020-03-26T10:00:00+08:00');
  adminToken = await adminLogin(api);
  slip = keep(
    'slip',
    await api.post(`/api/v1/stores/${storeA.id}/pickup-slips`, { serial }, { token: storeA.apiKey }),
  );
  keep(
    'pickup',
    await api.post(
      `/api/v1/stores/${storeA.id}/pickups`,
      { serial, buyerDocument: { type: 'id_card', number: alice.nationalId } },
      { token: storeA.apiKey },
    ),
  );
  keep(
    'close',
    await api.post(
      `/api/v1/admin/stores/${storeB.id}/close`,
      { reassignTo: storeA.id },
      { token: adminToken },
    ),
  );
  // A few hostile requests that carry personal data in odd places.
  const bad = [
    () =>
      api.call('POST', '/api/v1/orders/lookup', {
        raw: `{"nationalId":"${alice.nationalId}",`,
        headers: { 'content-type': 'application/json' },
      }),
    () => api.post('/api/v1/orders/lookup', { nationalId: alice.nationalId, phoneLast3: phone }),
    () => api.get(`/api/v1/people/${alice.nationalId}?phone=${phone}&email=${encodeURIComponent(email)}`),
    () =>
      api.post('/api/v1/auth/phone', {
        phone,
        nationalId: alice.nationalId,
        cardLast4: 'x',
        password: 'p',
        devicePublicKeyPem: 'no',
      }),
    () =>
      api.post(
        '/api/v1/admin/cards',
        { nationalId: 'A123456788', name: alice.name, birthDate: '1990-01-01', nationality: 'TW' },
        { token: adminToken },
      ),
    () =>
      api.put(
        `/api/v1/rounds/${round.id}/order`,
        { storeId: storeA.id, phone, email },
        { token: `cit_${alice.nationalId}` },
      ),
    () =>
      api.call('POST', `/api/v1/stores/${storeA.id}/pickups`, {
        raw: `serial=${serial}&id=${alice.nationalId}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        token: storeA.apiKey,
      }),
  ];
  for (const call of bad) {
    const res = await call();
    expect(res.status, res.text).toBeLessThan(500);
  }
  await new Promise((r) => setTimeout(r, 300));
});

describe('the log', () => {
  it('captured the flow at level trace', () => {
    expect(answers.find((a) => a.what === 'pickup')?.reply.status).toBe(201);
    expect(answers.find((a) => a.what === 'sale')?.reply.status).toBe(201);
    expect(answers.find((a) => a.what === 'transfer')?.reply.status).toBe(201);
    expect(answers.find((a) => a.what === 'close')?.reply.status).toBe(200);
    // At trace every request is logged (method, route template, id): the log has something to leak into.
    expect(lines.filter((l) => l.includes('"incoming request"')).length).toBeGreaterThan(30);
  });

  it('holds no national ID, phone number, e-mail address or name', () => {
    const log = lines.join('\n');
    const nationalId = /(?<![A-Za-z0-9])[A-Z][12896A-D]\d{8}(?!\d)/;
    const phoneNumber = /(?<![\d.])09\d{8}(?!\d)/;
    const emailAddress = /[\w.+-]+@[\w-]+\.[\w.-]+/;
    for (const line of lines) {
      expect(line, 'a national ID in the log').not.toMatch(nationalId);
      expect(line, 'a phone number in the log').not.toMatch(phoneNumber);
      expect(line, 'an e-mail address in the log').not.toMatch(emailAddress);
    }
    for (const person of demo.people) {
      expect(log, 'a demo name in the log').not.toContain(person.name);
    }
  });
});

describe('answers', () => {
  it('show masked IDs and names only', () => {
    for (const { what, reply } of answers) {
      expect(reply.text, `${what} answers a full national ID`).not.toContain(alice.nationalId);
      expect(reply.text, `${what} answers a full national ID`).not.toContain(bob.nationalId);
    }
    const body = slip.body as { buyerNameMasked: string };
    expect(body.buyerNameMasked).not.toBe(alice.name);
    expect(body.buyerNameMasked).toContain('○');
  });

  it('a sign-in answers the masked ID', async () => {
    const c = await api.post<{ challengeId: string; nonce: string }>('/api/v1/auth/challenges', {});
    const { signNonce } = await import('../support/factories.js');
    const res = await api.post<{ person: { nationalIdMasked: string } }>('/api/v1/auth/nhi-card/login', {
      cardNo: buyer.cardNo,
      challengeId: c.body.challengeId,
      signature: signNonce(buyer.privateKeyPem, c.body.nonce),
      password: 'card-password-1',
    });
    expect(res.status).toBe(200);
    expect(res.body.person.nationalIdMasked).toBe(maskId(alice.nationalId));
    expect(res.text).not.toContain(alice.nationalId);
  });
});

describe('the audit log', () => {
  it('records operator and partner actions without personal data', async () => {
    const rows = await t.sql<{ action: string; actor_kind: string; text: string }[]>`
      select action, actor_kind, concat_ws(' ', actor_id, subject, details::text) as text from audit_log`;
    const actions = new Set(rows.map((r) => r.action));
    for (const action of ['card.issue', 'store.close', 'pharmacy.sale', 'order.collected']) {
      expect(actions, action).toContain(action);
    }
    for (const row of rows) {
      for (const person of [alice, bob]) {
        expect(row.text, row.action).not.toContain(person.nationalId);
        expect(row.text, row.action).not.toContain(person.name);
        expect(row.text, row.action).not.toContain(person.cardNo);
      }
      expect(row.text, row.action).not.toContain(phone);
      expect(row.text, row.action).not.toContain(email);
    }
  });

  it('is append-only: UPDATE and DELETE fail', async () => {
    await expect(t.sql`update audit_log set action = 'tampered'`).rejects.toThrow(/append-only/);
    await expect(t.sql`delete from audit_log`).rejects.toThrow(/append-only/);
    const [row] = await t.sql<
      { n: number }[]
    >`select count(*)::int as n from audit_log where action = 'tampered'`;
    expect(row?.n).toBe(0);
  });
});
