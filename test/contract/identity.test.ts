// Over 300 lines: API.md "Operators" and "Citizens" sign-ins as one contract section, sharing the kit.
/**
 * API.md "Operators" (login, cards) and "Citizens" (every sign-in), plus the telecom and
 * certificate simulators. HTTP only.
 */
import { createPrivateKey } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { x509 } from '../../src/identity/x509.js';
import {
  issueCard,
  loginWithCard,
  newChallenge,
  newDeviceKeys,
  randomNationalId,
  randomNewArc,
  randomPhone,
  registerCard,
  setClock,
  signNonce,
  type TestCard,
} from '../support/factories.js';
import { setUpTestApp } from '../support/fixture.js';
import {
  ADMIN_PASSWORD,
  expectCertificatePem,
  expectError,
  expectPkcs8Ed25519,
  oldFormatArc,
} from './kit.js';

const t = setUpTestApp();
const api = t.api;
let admin: string;

beforeAll(async () => {
  await setClock(api, '2020-03-12T09:00:00+08:00');
  admin = await t.admin();
});

const NOW = new Date('2020-03-12T09:00:00+08:00');

async function cardLogin(
  card: { cardNo: string; privateKeyPem: string },
  password: string,
  signWith?: string,
) {
  const c = await newChallenge(api);
  return api.post<{ token: string; person: { name: string; nationalIdMasked: string } }>(
    '/api/v1/auth/nhi-card/login',
    {
      cardNo: card.cardNo,
      challengeId: c.challengeId,
      signature: signNonce(signWith ?? card.privateKeyPem, c.nonce),
      password,
    },
  );
}

async function cardRegister(
  card: { cardNo: string; privateKeyPem: string },
  password: string,
  signWith?: string,
) {
  const c = await newChallenge(api);
  return api.post('/api/v1/auth/nhi-card/register', {
    cardNo: card.cardNo,
    challengeId: c.challengeId,
    signature: signNonce(signWith ?? card.privateKeyPem, c.nonce),
    password,
  });
}

describe('POST /api/v1/admin/login', () => {
  it('answers {token}; a wrong password or user is 401 BAD_CREDENTIALS', async () => {
    const ok = await api.post<{ token: string }>('/api/v1/admin/login', {
      username: 'admin',
      password: ADMIN_PASSWORD,
    });
    expect(ok.status).toBe(200);
    expect(ok.body.token).toBeTypeOf('string');
    expectError(
      await api.post('/api/v1/admin/login', { username: 'admin', password: 'nope' }),
      401,
      'BAD_CREDENTIALS',
    );
    expectError(
      await api.post('/api/v1/admin/login', { username: 'root', password: ADMIN_PASSWORD }),
      401,
      'BAD_CREDENTIALS',
    );
  });
});

describe('POST /api/v1/admin/cards', () => {
  it('issues an NHI card: 201 {cardNo: 12 digits, privateKeyPem}', async () => {
    const res = await api.post<{ cardNo: string; privateKeyPem: string }>(
      '/api/v1/admin/cards',
      { nationalId: randomNationalId(), name: '王小明', birthDate: '1985-06-15', nationality: 'TW' },
      { token: admin },
    );
    expect(res.status).toBe(201);
    expect(res.body.cardNo).toMatch(/^\d{12}$/);
    expectPkcs8Ed25519(res.body.privateKeyPem);
  });

  it('issues cards to foreign residents, with old and 2021-format resident certificate numbers', async () => {
    const newArc = randomNewArc();
    const res = await api.post<{ cardNo: string }>(
      '/api/v1/admin/cards',
      {
        nationalId: newArc,
        name: 'John Smith',
        birthDate: '1980-02-02',
        nationality: 'foreign',
        arcNumber: newArc,
      },
      { token: admin },
    );
    expect(res.status).toBe(201);
    expect(res.body.cardNo).toMatch(/^\d{12}$/);
    // Old format: two letters then eight digits (AB12345678 style), with its check digit.
    const oldArc = oldFormatArc();
    const old = await api.post<{ cardNo: string }>(
      '/api/v1/admin/cards',
      {
        nationalId: oldArc,
        name: 'Jane Doe',
        birthDate: '1981-03-03',
        nationality: 'foreign',
        arcNumber: oldArc,
      },
      { token: admin },
    );
    expect(old.status).toBe(201);
  });

  it('an invalid ID check digit is 400 INVALID_NATIONAL_ID', async () => {
    const id = randomNationalId();
    const wrong = `${id.slice(0, 9)}${(Number(id[9]) + 1) % 10}`;
    expectError(
      await api.post(
        '/api/v1/admin/cards',
        { nationalId: wrong, name: '王小明', birthDate: '1985-06-15', nationality: 'TW' },
        { token: admin },
      ),
      400,
      'INVALID_NATIONAL_ID',
    );
  });
});

describe('NHI card: register and login', () => {
  it('register → 201; login → {token, person: {name, nationalIdMasked}}', async () => {
    const card = await issueCard(api, admin, { name: '陳美麗' });
    expect((await cardRegister(card, 'secret-one')).status).toBe(201);
    const login = await cardLogin(card, 'secret-one');
    expect(login.status).toBe(200);
    expect(login.body.token).toBeTypeOf('string');
    expect(login.body.person.name).toBe('陳美麗');
    expect(login.body.person.nationalIdMasked).toBeTypeOf('string');
    expect(login.body.person.nationalIdMasked).not.toBe(card.nationalId);
    expect(login.body.person.nationalIdMasked).not.toContain(card.nationalId.slice(3, 8));
    expect((await api.get('/api/v1/me/orders', { token: login.body.token })).status).toBe(200);
  });

  it('bad signature, bad password or unregistered card → 401 AUTH_FAILED', async () => {
    const card = await issueCard(api, admin);
    const other = await issueCard(api, admin);
    expectError(await cardLogin(card, 'secret-one'), 401, 'AUTH_FAILED'); // not registered
    expect((await cardRegister(card, 'secret-one')).status).toBe(201);
    expectError(await cardLogin(card, 'secret-two'), 401, 'AUTH_FAILED');
    expectError(await cardLogin(card, 'secret-one', other.privateKeyPem), 401, 'AUTH_FAILED');
    const c = await newChallenge(api);
    expectError(
      await api.post('/api/v1/auth/nhi-card/login', {
        cardNo: card.cardNo,
        challengeId: c.challengeId,
        signature: 'AAAA',
        password: 'secret-one',
      }),
      401,
      'AUTH_FAILED',
    );
    // Registration needs the card too: someone else's key cannot set its password. (Another
    // card: failed sign-ins are limited per card, 429 with Retry-After after a few.)
    const victim = await issueCard(api, admin);
    expect((await cardRegister(victim, 'victim-pw')).status).toBe(201);
    const hijack = await cardRegister(victim, 'hijacked-pw', other.privateKeyPem);
    expect(hijack.status).toBe(401);
    expectError(await cardLogin(victim, 'hijacked-pw'), 401, 'AUTH_FAILED');
    expect((await cardLogin(victim, 'victim-pw')).status).toBe(200);
  });

  it('failed sign-ins are rate limited: 429 TOO_MANY_REQUESTS with Retry-After', async () => {
    const card = await issueCard(api, admin);
    expect((await cardRegister(card, 'right-pw')).status).toBe(201);
    let limited: Awaited<ReturnType<typeof cardLogin>> | undefined;
    for (let i = 0; i < 30 && !limited; i++) {
      const res = await cardLogin(card, `wrong-${i}`);
      if (res.status === 429) limited = res;
      else expectError(res, 401, 'AUTH_FAILED');
    }
    expect(limited, 'no 429 after 30 failed sign-ins of one card').toBeDefined();
    expectError(limited as Awaited<ReturnType<typeof cardLogin>>, 429, 'TOO_MANY_REQUESTS');
    expect(
      Number((limited as Awaited<ReturnType<typeof cardLogin>>).headers.get('retry-after')),
    ).toBeGreaterThan(0);
  });

  it('registering again sets a new password', async () => {
    const card = await issueCard(api, admin);
    expect((await cardRegister(card, 'old-password')).status).toBe(201);
    expect((await cardRegister(card, 'new-password')).status).toBe(201);
    expectError(await cardLogin(card, 'old-password'), 401, 'AUTH_FAILED');
    expect((await cardLogin(card, 'new-password')).status).toBe(200);
  });
});

describe('Citizen Digital Certificate', () => {
  it('POST /sim/moica/certificates → {certificatePem, privateKeyPem}; login → {token}', async () => {
    const card = await issueCard(api, admin, { name: '張大千' });
    const res = await api.post<{ certificatePem: string; privateKeyPem: string }>(
      '/api/v1/sim/moica/certificates',
      {
        nationalId: card.nationalId,
      },
    );
    expect([200, 201]).toContain(res.status);
    expectCertificatePem(res.body.certificatePem);
    expectPkcs8Ed25519(res.body.privateKeyPem);
    const c = await newChallenge(api);
    const login = await api.post<{ token: string }>('/api/v1/auth/certificate/login', {
      certificatePem: res.body.certificatePem,
      challengeId: c.challengeId,
      signature: signNonce(res.body.privateKeyPem, c.nonce),
      nationalId: card.nationalId,
    });
    expect(login.status).toBe(200);
    expect(login.body.token).toBeTypeOf('string');
    // A certificate session is a web session: it may make device codes.
    expect((await api.post('/api/v1/devices/codes', {}, { token: login.body.token })).status).toBe(201);
  });

  it("a certificate not from the CA, or not that person's → 401 AUTH_FAILED", async () => {
    const card = await issueCard(api, admin);
    const other = await issueCard(api, admin);
    const real = await api.post<{ certificatePem: string; privateKeyPem: string }>(
      '/api/v1/sim/moica/certificates',
      {
        nationalId: card.nationalId,
      },
    );
    const c1 = await newChallenge(api);
    expectError(
      await api.post('/api/v1/auth/certificate/login', {
        certificatePem: real.body.certificatePem,
        challengeId: c1.challengeId,
        signature: signNonce(real.body.privateKeyPem, c1.nonce),
        nationalId: other.nationalId,
      }),
      401,
      'AUTH_FAILED',
    );
    const forged = await forgedCertificate(card.nationalId);
    const c2 = await newChallenge(api);
    expectError(
      await api.post('/api/v1/auth/certificate/login', {
        certificatePem: forged.certificatePem,
        challengeId: c2.challengeId,
        signature: signNonce(forged.privateKeyPem, c2.nonce),
        nationalId: card.nationalId,
      }),
      401,
      'AUTH_FAILED',
    );
  });
});

describe('POST /api/v1/auth/phone (telecom simulator)', () => {
  async function subscriber(body: Record<string, unknown>) {
    const res = await api.post('/api/v1/sim/telecom/subscribers', {
      phone: randomPhone(),
      carrier: 'CHT',
      plan: 'monthly',
      status: 'active',
      mobileData: true,
      ...body,
    });
    expect(res.status, res.text).toBe(201);
    return body.phone as string;
  }

  async function phoneLogin(card: TestCard, phone: string, overrides: Record<string, unknown> = {}) {
    return api.post<{ deviceId: number; token: string }>('/api/v1/auth/phone', {
      phone,
      nationalId: card.nationalId,
      cardLast4: card.cardNo.slice(-4),
      password: 'app-password-1',
      devicePublicKeyPem: (await newDeviceKeys()).publicKeyPem,
      ...overrides,
    });
  }

  it('every carrier of the five majors, own-name monthly plan with data → 201 {deviceId, token}', async () => {
    for (const carrier of ['CHT', 'FET', 'TWM', 'TSTAR', 'APTG']) {
      const card = await issueCard(api, admin);
      const phone = randomPhone();
      await subscriber({ phone, carrier, ownerId: card.nationalId });
      const res = await phoneLogin(card, phone);
      expect(res.status, `${carrier}: ${res.text}`).toBe(201);
      expect(Number.isInteger(res.body.deviceId)).toBe(true);
      expect(res.body.token).toBeTypeOf('string');
      expect((await api.get('/api/v1/me/purchases', { token: res.body.token })).status).toBe(200);
    }
  });

  it('refuses with 403 and the reason, for each case', async () => {
    const cases: [string, (ownerId: string) => Record<string, unknown>][] = [
      ['PHONE_PARENT_CHILD_PLAN', (ownerId) => ({ ownerId, plan: 'parent_child' })],
      ['PHONE_PREPAID', (ownerId) => ({ ownerId, plan: 'prepaid' })],
      ['PHONE_CORPORATE', (ownerId) => ({ ownerId, plan: 'corporate' })],
      ['PHONE_MVNO', (ownerId) => ({ ownerId, carrier: 'MVNO' })],
      ['PHONE_SUSPENDED', (ownerId) => ({ ownerId, status: 'suspended' })],
      ['PHONE_SUSPENDED', (ownerId) => ({ ownerId, status: 'arrears' })],
      ['PHONE_NOT_OWNER', () => ({ ownerId: randomNationalId() })],
      ['PHONE_CARRIER_NOT_SUPPORTED', (ownerId) => ({ ownerId, carrier: 'OTHER' })],
      ['PHONE_NO_MOBILE_DATA', (ownerId) => ({ ownerId, mobileData: false })],
      ['PHONE_FOREIGN_HOLDER', () => ({ ownerId: randomNewArc() })],
    ];
    for (const [code, line] of cases) {
      const card = await issueCard(api, admin);
      const phone = randomPhone();
      await subscriber({ phone, ...line(card.nationalId) });
      expectError(await phoneLogin(card, phone), 403, code);
    }
    const card = await issueCard(api, admin);
    expectError(await phoneLogin(card, randomPhone()), 403, 'PHONE_UNKNOWN');
  });

  it('a foreign resident on their own line is PHONE_FOREIGN_HOLDER (nationals only)', async () => {
    const arc = randomNewArc();
    const card = await issueCard(api, admin, { nationalId: arc, nationality: 'foreign', arcNumber: arc });
    const phone = randomPhone();
    await subscriber({ phone, ownerId: arc });
    expectError(await phoneLogin(card, phone), 403, 'PHONE_FOREIGN_HOLDER');
  });

  it('an ID or card digits that do not match the card holder → 403 IDENTITY_MISMATCH', async () => {
    const card = await issueCard(api, admin);
    const phone = randomPhone();
    await subscriber({ phone, ownerId: card.nationalId });
    const wrongLast4 = String((Number(card.cardNo.slice(-4)) + 1) % 10_000).padStart(4, '0');
    expectError(await phoneLogin(card, phone, { cardLast4: wrongLast4 }), 403, 'IDENTITY_MISMATCH');
    const stranger = randomNationalId();
    const strangerPhone = randomPhone();
    await subscriber({ phone: strangerPhone, ownerId: stranger });
    expectError(await phoneLogin(card, strangerPhone, { nationalId: stranger }), 403, 'IDENTITY_MISMATCH');
    // And with the right digits it works.
    expect((await phoneLogin(card, phone)).status).toBe(201);
  });
});

describe('Device codes and device login', () => {
  it('web session → code → bind → device login → {token}', async () => {
    const card = await issueCard(api, admin);
    await registerCard(api, card);
    const web = await loginWithCard(api, card);
    const code = await api.post<{ code: string; qrSvg: string; expiresAt: string }>(
      '/api/v1/devices/codes',
      {},
      {
        token: web,
      },
    );
    expect(code.status).toBe(201);
    const keys = await newDeviceKeys();
    const bound = await api.post<{ deviceId: number; token: string }>('/api/v1/devices/bind', {
      code: code.body.code,
      devicePublicKeyPem: keys.publicKeyPem,
    });
    expect(bound.status).toBe(201);
    const c = await newChallenge(api);
    const login = await api.post<{ token: string }>('/api/v1/auth/device/login', {
      deviceId: bound.body.deviceId,
      challengeId: c.challengeId,
      signature: signNonce(keys.privateKeyPem, c.nonce),
    });
    expect(login.status).toBe(200);
    expect(login.body.token).toBeTypeOf('string');
    expect((await api.get('/api/v1/me/orders', { token: login.body.token })).status).toBe(200);
  });
});

/** A CA of our own making, with the very same name as the simulated one: only the key differs. */
async function forgedCertificate(nationalId: string) {
  const alg = { name: 'Ed25519' };
  const caKeys = (await crypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const userKeys = (await crypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const realCa = new x509.X509Certificate(
    (
      await api.post<{ certificatePem: string }>('/api/v1/sim/moica/certificates', {
        nationalId: randomNationalId(),
      })
    ).body.certificatePem,
  ).issuer;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: '0badca',
    subject: [{ CN: ['Forged'] }, { '2.5.4.5': [nationalId] }, { C: ['TW'] }],
    issuer: realCa,
    notBefore: new Date(NOW.getTime() - 86_400_000),
    notAfter: new Date(NOW.getTime() + 86_400_000 * 365),
    signingKey: caKeys.privateKey,
    publicKey: userKeys.publicKey,
    signingAlgorithm: alg,
  });
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey('pkcs8', userKeys.privateKey));
  return {
    certificatePem: cert.toString('pem'),
    privateKeyPem: createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' })
      .export({ type: 'pkcs8', format: 'pem' })
      .toString(),
  };
}
