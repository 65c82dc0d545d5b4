import { generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  addTelecomSubscriber,
  deviceLogin,
  issueCard,
  newDeviceKeys,
  phoneAuth,
  randomNationalId,
  randomNewArc,
  randomPhone,
  setClock,
  type TestCard,
  type TestSubscriber,
} from '../../test/support/factories.js';
import { setUpTestApp } from '../../test/support/fixture.js';

const t = setUpTestApp();
const api = t.api;
let admin: string;

beforeAll(async () => {
  await setClock(api, '2020-03-12T09:00:00+08:00');
  admin = await t.admin();
});

async function phoneCall(card: TestCard, phone: string, overrides: Record<string, unknown> = {}) {
  const keys = await newDeviceKeys();
  return api.post<{ deviceId: number; token: string }>('/api/v1/auth/phone', {
    phone,
    nationalId: card.nationalId,
    cardLast4: card.cardNo.slice(-4),
    password: 'app-password-1',
    devicePublicKeyPem: keys.publicKeyPem,
    ...overrides,
  });
}

const devicesOf = async (personId: number) =>
  (await t.sql<{ n: number }[]>`select count(*)::int as n from devices where person_id = ${personId}`)[0]?.n;

describe('phone check with the own number (本人手機門號)', () => {
  it('binds the device, sets the app password and opens an app_phone session, without any SMS', async () => {
    const card = await issueCard(api, admin);
    const outboxBefore = await t.sql`select id from outbox`;
    const bound = await phoneAuth(api, card, { password: 'my-app-pass' });
    expect(bound.deviceId).toEqual(expect.any(Number));
    const [device] = await t.sql<{ channel: string; phone: string; person_id: number }[]>`
      select channel, phone, person_id from devices where id = ${bound.deviceId}`;
    expect({ ...device, phone: t.deps.vault.open('phone', device?.phone ?? '') }).toEqual({
      channel: 'app_phone',
      phone: bound.phone,
      person_id: card.personId,
    });
    const [pw] = await t.sql<{ password_hash: string }[]>`
      select password_hash from app_passwords where person_id = ${card.personId}`;
    expect(pw?.password_hash).toMatch(/^scrypt\$/);
    expect(pw?.password_hash).not.toContain('my-app-pass');
    const me = await api.get<{ channel: string; deviceId: number }>('/api/v1/auth/session', {
      token: bound.token,
    });
    expect(me.body).toMatchObject({ channel: 'app_phone', deviceId: bound.deviceId });
    // [ID 12]: no code is sent
    expect(await t.sql`select id from outbox`).toHaveLength(outboxBefore.length);
    // the bound device signs in later as app_phone
    const token = await deviceLogin(api, bound.deviceId, bound.keys.privateKeyPem);
    const later = await api.get<{ channel: string }>('/api/v1/auth/session', { token });
    expect(later.body.channel).toBe('app_phone');
  });

  it('refuses each case of [ID 5.2] with its own 403 code and binds nothing', async () => {
    const card = await issueCard(api, admin);
    const otherNational = randomNationalId();
    const cases: [Partial<TestSubscriber> | 'unknown', string][] = [
      [{ plan: 'parent_child' }, 'PHONE_PARENT_CHILD_PLAN'],
      [{ plan: 'prepaid' }, 'PHONE_PREPAID'],
      [{ ownerId: randomNewArc() }, 'PHONE_FOREIGN_HOLDER'],
      [{ plan: 'corporate' }, 'PHONE_CORPORATE'],
      [{ carrier: 'MVNO' }, 'PHONE_MVNO'],
      [{ status: 'suspended' }, 'PHONE_SUSPENDED'],
      [{ status: 'arrears' }, 'PHONE_SUSPENDED'],
      [{ ownerId: otherNational }, 'PHONE_NOT_OWNER'],
      [{ carrier: 'OTHER' }, 'PHONE_CARRIER_NOT_SUPPORTED'],
      [{ mobileData: false }, 'PHONE_NO_MOBILE_DATA'],
      ['unknown', 'PHONE_UNKNOWN'],
    ];
    for (const [line, code] of cases) {
      const phone =
        line === 'unknown' ? randomPhone() : (await addTelecomSubscriber(api, card.nationalId, line)).phone;
      const res = await phoneCall(card, phone);
      expect({ code, status: res.status, body: res.body }).toMatchObject({
        code,
        status: 403,
        body: { error: { code, message: expect.any(String) } },
      });
    }
    expect(await devicesOf(card.personId)).toBe(0);
  });

  it('refuses foreigners even on an own-name line: the phone check is for nationals [ID 5]', async () => {
    const arc = randomNewArc();
    const foreigner = await issueCard(api, admin, { nationalId: arc, nationality: 'foreign' });
    const line = await addTelecomSubscriber(api, arc);
    const res = await phoneCall(foreigner, line.phone);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'PHONE_FOREIGN_HOLDER' } });
  });

  it('reports the first reason in the documented order when several apply', async () => {
    const card = await issueCard(api, admin);
    const line = await addTelecomSubscriber(api, randomNationalId(), {
      carrier: 'MVNO',
      plan: 'prepaid',
      status: 'arrears',
      mobileData: false,
    });
    expect((await phoneCall(card, line.phone)).body).toMatchObject({ error: { code: 'PHONE_MVNO' } });
    const second = await addTelecomSubscriber(api, randomNationalId(), { status: 'suspended' });
    expect((await phoneCall(card, second.phone)).body).toMatchObject({ error: { code: 'PHONE_NOT_OWNER' } });
  });

  it('refuses IDENTITY_MISMATCH when the card digits or the ID do not match a current card', async () => {
    const card = await issueCard(api, admin);
    const line = await addTelecomSubscriber(api, card.nationalId);
    const wrongDigits = String((Number(card.cardNo.slice(-4)) + 1) % 10_000).padStart(4, '0');
    const res = await phoneCall(card, line.phone, { cardLast4: wrongDigits });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'IDENTITY_MISMATCH' } });
    // no card holder with this ID, though the line is in that ID's name
    const nobody = randomNationalId();
    const nobodyLine = await addTelecomSubscriber(api, nobody);
    const unknown = await phoneCall({ ...card, nationalId: nobody }, nobodyLine.phone);
    expect(unknown.body).toMatchObject({ error: { code: 'IDENTITY_MISMATCH' } });
    // the digits of a revoked card do not count
    const reissued = await issueCard(api, admin, { nationalId: card.nationalId });
    const old = await phoneCall(card, line.phone);
    expect(old.body).toMatchObject({ error: { code: 'IDENTITY_MISMATCH' } });
    expect(await devicesOf(card.personId)).toBe(0);
    expect((await phoneCall(reissued, line.phone)).status).toBe(201);
  });

  it('limits guessing the 4 card digits: the 6th mismatch for one ID is 429', async () => {
    await setClock(api, '2020-03-12T12:00:00+08:00');
    const card = await issueCard(api, admin);
    const line = await addTelecomSubscriber(api, card.nationalId);
    const right = Number(card.cardNo.slice(-4));
    for (let i = 1; i <= 5; i++) {
      const guess = String((right + i) % 10_000).padStart(4, '0');
      expect((await phoneCall(card, line.phone, { cardLast4: guess })).status).toBe(403);
    }
    const limited = await phoneCall(card, line.phone);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBeTruthy();
    await setClock(api, '2020-03-12T12:15:01+08:00');
    expect((await phoneCall(card, line.phone)).status).toBe(201);
  });

  it('validates the phone format and that the device key is an Ed25519 public key', async () => {
    await setClock(api, '2020-03-12T14:00:00+08:00');
    const card = await issueCard(api, admin);
    const line = await addTelecomSubscriber(api, card.nationalId);
    for (const phone of ['0812345678', '091234567', '+886912345678']) {
      const res = await phoneCall(card, phone);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    }
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({
      type: 'spki',
      format: 'pem',
    });
    const ed = generateKeyPairSync('ed25519');
    const privatePem = ed.privateKey.export({ type: 'pkcs8', format: 'pem' });
    for (const key of [rsa, privatePem, 'not a key']) {
      const res = await phoneCall(card, line.phone, { devicePublicKeyPem: key });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    }
    expect(await devicesOf(card.personId)).toBe(0);
  });

  it('the telecom simulator takes subscribers exactly as API.md writes them (201) and validates them', async () => {
    const ok = await api.post('/api/v1/sim/telecom/subscribers', {
      phone: '0912345678',
      carrier: 'CHT',
      plan: 'monthly',
      ownerId: 'A123456789',
      status: 'active',
      mobileData: true,
    });
    expect(ok.status).toBe(201);
    const again = await api.post('/api/v1/sim/telecom/subscribers', {
      phone: '0912345678',
      carrier: 'FET',
      plan: 'prepaid',
      ownerId: 'A123456789',
      status: 'active',
      mobileData: true,
    });
    expect(again.status).toBe(201);
    const [row] = await t.sql`select carrier, plan from telecom_subscribers where phone = '0912345678'`;
    expect(row).toEqual({ carrier: 'FET', plan: 'prepaid' });
    const bad = await api.post('/api/v1/sim/telecom/subscribers', {
      phone: '0912345678',
      carrier: 'Chunghwa',
      plan: 'monthly',
      ownerId: 'A123456789',
      status: 'active',
      mobileData: true,
    });
    expect(bad.status).toBe(400);
  });
});
