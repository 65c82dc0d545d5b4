import { beforeAll, describe, expect, it } from 'vitest';
import {
  bindDeviceByCode,
  citizenLogin,
  deviceLogin,
  issueCard,
  loginWithCard,
  newChallenge,
  newDeviceKeys,
  phoneAuth,
  randomNationalId,
  randomNewArc,
  registerCard,
  setClock,
  signNonce,
} from '../../test/support/factories.js';
import { setUpTestApp } from '../../test/support/fixture.js';
import { deviceCodeHash } from './create-device-code.js';

const t = setUpTestApp();
const api = t.api;
let admin: string;

beforeAll(async () => {
  await setClock(api, '2020-03-12T09:00:00+08:00');
  admin = await t.admin();
});

interface CodeView {
  code: string;
  qrSvg: string;
  expiresAt: string;
}

async function bind(code: string) {
  const keys = await newDeviceKeys();
  const res = await api.post<{ deviceId: number; token: string }>('/api/v1/devices/bind', {
    code,
    devicePublicKeyPem: keys.publicKeyPem,
  });
  return { res, keys };
}

async function deviceCall(deviceId: number, privateKeyPem: string) {
  const c = await newChallenge(api);
  return api.post<{ token: string; channel: string }>('/api/v1/auth/device/login', {
    deviceId,
    challengeId: c.challengeId,
    signature: signNonce(privateKeyPem, c.nonce),
  });
}

describe('device codes (裝置碼)', () => {
  it('a web session makes an 8-digit code with a QR SVG, valid 10 minutes, stored only as a hash', async () => {
    await setClock(api, '2020-03-12T10:00:00+08:00');
    const { card, token } = await citizenLogin(api, admin);
    const res = await api.post<CodeView>('/api/v1/devices/codes', {}, { token });
    expect(res.status).toBe(201);
    expect(res.body.code).toMatch(/^\d{8}$/);
    expect(res.body.qrSvg).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    expect(new Date(res.body.expiresAt).getTime()).toBe(new Date('2020-03-12T10:10:00+08:00').getTime());
    const rows = await t.sql<{ code_hash: Buffer }[]>`
      select code_hash from device_codes where person_id = ${card.personId}`;
    expect(rows).toHaveLength(1);
    expect(rows[0]?.code_hash.equals(deviceCodeHash(res.body.code))).toBe(true);
    expect(rows[0]?.code_hash.toString('latin1')).not.toContain(res.body.code);
  });

  it('only web sessions (NHI card or certificate) may make codes', async () => {
    await setClock(api, '2020-03-12T10:00:00+08:00');
    const card = await issueCard(api, admin);
    const app = await phoneAuth(api, card);
    const fromApp = await api.post('/api/v1/devices/codes', {}, { token: app.token });
    expect(fromApp.status).toBe(403);
    expect((await api.post('/api/v1/devices/codes', {})).status).toBe(401);
    expect(await t.sql`select 1 from device_codes where person_id = ${card.personId}`).toHaveLength(0);
  });

  it('binds once: the code is single use (410 on reuse) and the device signs in as app_device', async () => {
    await setClock(api, '2020-03-12T10:00:00+08:00');
    const { card, token } = await citizenLogin(api, admin);
    const code = (await api.post<CodeView>('/api/v1/devices/codes', {}, { token })).body.code;
    const first = await bind(code);
    expect(first.res.status).toBe(201);
    const [device] = await t.sql<{ channel: string; person_id: number }[]>`
      select channel, person_id from devices where id = ${first.res.body.deviceId}`;
    expect(device).toEqual({ channel: 'app_device', person_id: card.personId });
    const me = await api.get<{ channel: string }>('/api/v1/auth/session', { token: first.res.body.token });
    expect(me.body.channel).toBe('app_device');

    const second = await bind(code);
    expect(second.res.status).toBe(410);
    expect(second.res.body).toMatchObject({ error: { code: 'DEVICE_CODE_EXPIRED' } });
    expect(await t.sql`select 1 from devices where person_id = ${card.personId}`).toHaveLength(1);

    const login = await deviceCall(first.res.body.deviceId, first.keys.privateKeyPem);
    expect(login.status).toBe(200);
    expect(login.body.channel).toBe('app_device');
    const [session] = await t.sql<{ channel: string; device_id: number }[]>`
      select channel, device_id from sessions where token_hash = sha256(${login.body.token}::bytea)`;
    expect(session).toEqual({ channel: 'app_device', device_id: first.res.body.deviceId });
  });

  it('two phones racing for one code: exactly one is bound', async () => {
    await setClock(api, '2020-03-12T10:00:00+08:00');
    const { card, token } = await citizenLogin(api, admin);
    const code = (await api.post<CodeView>('/api/v1/devices/codes', {}, { token })).body.code;
    const results = await Promise.all([bind(code), bind(code), bind(code)]);
    expect(results.map((r) => r.res.status).sort()).toEqual([201, 410, 410]);
    expect(await t.sql`select 1 from devices where person_id = ${card.personId}`).toHaveLength(1);
  });

  it('expires after 10 minutes (410), and an unknown code is 410 too', async () => {
    await setClock(api, '2020-03-12T11:00:00+08:00');
    const { token } = await citizenLogin(api, admin);
    const a = (await api.post<CodeView>('/api/v1/devices/codes', {}, { token })).body.code;
    const b = (await api.post<CodeView>('/api/v1/devices/codes', {}, { token })).body.code;
    await setClock(api, '2020-03-12T11:09:59+08:00');
    expect((await bind(a)).res.status).toBe(201);
    await setClock(api, '2020-03-12T11:10:00+08:00');
    const expired = await bind(b);
    expect(expired.res.status).toBe(410);
    expect(expired.res.body).toMatchObject({ error: { code: 'DEVICE_CODE_EXPIRED' } });
    const unknownCode = a === '00000000' ? '00000001' : '00000000';
    const unknown = await bind(unknownCode);
    expect(unknown.res.status).toBe(410);
  });

  it('limits guessing codes from one address: the 11th failure in 10 minutes is 429', async () => {
    await setClock(api, '2020-03-12T12:00:00+08:00');
    const { token } = await citizenLogin(api, admin);
    const good = (await api.post<CodeView>('/api/v1/devices/codes', {}, { token })).body.code;
    const guesses = Array.from({ length: 10 }, (_, i) => String(10_000_000 + i)).filter((g) => g !== good);
    for (const guess of guesses.slice(0, 10)) expect((await bind(guess)).res.status).toBe(410);
    if (guesses.length < 10) expect((await bind('99999999')).res.status).toBe(410);
    const limited = await bind(good);
    expect(limited.res.status).toBe(429);
    expect(limited.res.body).toMatchObject({ error: { code: 'TOO_MANY_REQUESTS' } });
    expect(Number(limited.res.headers.get('retry-after'))).toBe(600);
  });

  it('validates the code and the device key', async () => {
    await setClock(api, '2020-03-12T13:00:00+08:00');
    expect(
      (await api.post('/api/v1/devices/bind', { code: '12ab5678', devicePublicKeyPem: 'x' })).status,
    ).toBe(400);
    const res = await api.post('/api/v1/devices/bind', { code: '12345678', devicePublicKeyPem: 'x' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });
});

describe('device login', () => {
  it('refuses a signature from the wrong key, an unknown device and a reused challenge', async () => {
    await setClock(api, '2020-03-12T14:00:00+08:00');
    const { token } = await citizenLogin(api, admin);
    const device = await bindDeviceByCode(api, token);
    const stranger = await newDeviceKeys();
    const wrongKey = await deviceCall(device.deviceId, stranger.privateKeyPem);
    expect(wrongKey.status).toBe(401);
    expect(wrongKey.body).toMatchObject({ error: { code: 'AUTH_FAILED' } });
    expect((await deviceCall(9_999_999, device.keys.privateKeyPem)).status).toBe(401);
    const c = await newChallenge(api);
    const body = {
      deviceId: device.deviceId,
      challengeId: c.challengeId,
      signature: signNonce(device.keys.privateKeyPem, c.nonce),
    };
    expect((await api.post('/api/v1/auth/device/login', body)).status).toBe(200);
    expect((await api.post('/api/v1/auth/device/login', body)).status).toBe(401);
  });

  it('a foreign resident with an ARC gets in through the card on the web and a device code [ID 5.1]', async () => {
    await setClock(api, '2020-03-12T14:00:00+08:00');
    const arc = randomNewArc();
    const card = await issueCard(api, admin, { nationalId: arc, nationality: 'foreign' });
    await registerCard(api, card);
    const web = await loginWithCard(api, card);
    const device = await bindDeviceByCode(api, web);
    const token = await deviceLogin(api, device.deviceId, device.keys.privateKeyPem);
    const me = await api.get<{ channel: string; person: { nationalIdMasked: string } }>(
      '/api/v1/auth/session',
      {
        token,
      },
    );
    expect(me.body.channel).toBe('app_device');
    expect(me.body.person.nationalIdMasked).toBe(`${arc.slice(0, 2)}****${arc.slice(-4)}`);
  });
});

describe('counter registration (臨櫃)', () => {
  it('an operator checks the ID card and binds the phone; audited with the username; logins are app_device', async () => {
    await setClock(api, '2020-03-12T15:00:00+08:00');
    const card = await issueCard(api, admin);
    const keys = await newDeviceKeys();
    const res = await api.post<{ deviceId: number }>(
      '/api/v1/admin/counter-registrations',
      {
        nationalId: card.nationalId,
        documents: { nhiCardNo: card.cardNo, idCardNumber: card.nationalId, householdRegister: true },
        phone: '0987654321',
        devicePublicKeyPem: keys.publicKeyPem,
        password: 'counter-pass',
      },
      { token: admin },
    );
    expect(res.status).toBe(201);
    const [device] = await t.sql<{ channel: string; bound_by: string; phone: string }[]>`
      select channel, bound_by, phone from devices where id = ${res.body.deviceId}`;
    expect(device?.phone).not.toContain('0987654321');
    expect({ ...device, phone: t.deps.vault.open('phone', device?.phone ?? '') }).toEqual({
      channel: 'counter',
      bound_by: 'admin',
      phone: '0987654321',
    });
    const audit = await t.sql<{ actor_kind: string; actor_id: string; details: unknown }[]>`
      select actor_kind, actor_id, details from audit_log
      where action = 'identity.counter_registration' and subject = ${`device:${res.body.deviceId}`}`;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_kind: 'admin', actor_id: 'admin' });
    expect(JSON.stringify(audit[0]?.details)).not.toContain(card.nationalId);
    expect(await t.sql`select 1 from app_passwords where person_id = ${card.personId}`).toHaveLength(1);

    const token = await deviceLogin(api, res.body.deviceId, keys.privateKeyPem);
    const me = await api.get<{ channel: string }>('/api/v1/auth/session', { token });
    expect(me.body.channel).toBe('app_device');
  });

  it('accepts a foreigner with the resident certificate, refuses wrong documents, unknown people and non-operators', async () => {
    await setClock(api, '2020-03-12T15:00:00+08:00');
    const keys = await newDeviceKeys();
    const arc = randomNewArc();
    const foreigner = await issueCard(api, admin, { nationalId: arc, nationality: 'foreign' });
    const call = (body: Record<string, unknown>, token: string | undefined = admin) =>
      api.post(
        '/api/v1/admin/counter-registrations',
        { devicePublicKeyPem: keys.publicKeyPem, ...body },
        { token },
      );
    expect(
      (await call({ nationalId: arc, documents: { nhiCardNo: foreigner.cardNo, arcNumber: arc } })).status,
    ).toBe(201);

    const national = await issueCard(api, admin);
    const otherId = randomNationalId();
    const refusals: [Record<string, unknown>, number, string][] = [
      [
        { nationalId: national.nationalId, documents: { nhiCardNo: national.cardNo, idCardNumber: otherId } },
        422,
        'DOCUMENT_MISMATCH',
      ],
      [
        { nationalId: national.nationalId, documents: { nhiCardNo: national.cardNo } },
        422,
        'DOCUMENT_MISMATCH',
      ],
      [
        {
          nationalId: national.nationalId,
          documents: { nhiCardNo: foreigner.cardNo, idCardNumber: national.nationalId },
        },
        422,
        'DOCUMENT_MISMATCH',
      ],
      [
        { nationalId: arc, documents: { nhiCardNo: foreigner.cardNo, idCardNumber: arc } },
        422,
        'DOCUMENT_MISMATCH',
      ],
      [
        { nationalId: otherId, documents: { nhiCardNo: national.cardNo, idCardNumber: otherId } },
        404,
        'UNKNOWN_PERSON',
      ],
    ];
    for (const [body, status, code] of refusals) {
      const res = await call(body);
      expect({ status: res.status, body: res.body }).toMatchObject({ status, body: { error: { code } } });
    }
    const body = {
      nationalId: national.nationalId,
      documents: { nhiCardNo: national.cardNo, idCardNumber: national.nationalId },
    };
    const { token: citizen } = await citizenLogin(api, admin);
    expect((await call(body, citizen)).status).toBe(403);
    expect((await call(body, '')).status).toBe(401);
    expect(await t.sql`select 1 from devices where person_id = ${national.personId}`).toHaveLength(0);
  });
});
