import { createPrivateKey, sign } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestApp } from '../../test/support/app.js';
import {
  issueCard,
  issueCitizenCertificate,
  loginWithCertificate,
  newChallenge,
  randomNationalId,
  setClock,
  signNonce,
} from '../../test/support/factories.js';
import { setUpTestApp } from '../../test/support/fixture.js';
import { client } from '../../test/support/http.js';
import { SIM_CA_NAME } from '../sim/moica.js';
import { x509 } from './x509.js';

const t = setUpTestApp();
const api = t.api;
let admin: string;

beforeAll(async () => {
  admin = await t.admin();
});

async function certLogin(
  cert: { certificatePem: string; privateKeyPem: string },
  nationalId: string,
  signature?: (nonce: string) => string,
) {
  const c = await newChallenge(api);
  return api.post<{ token: string; person: { name: string; nationalIdMasked: string } }>(
    '/api/v1/auth/certificate/login',
    {
      certificatePem: cert.certificatePem,
      challengeId: c.challengeId,
      signature: signature ? signature(c.nonce) : signNonce(cert.privateKeyPem, c.nonce),
      nationalId,
    },
  );
}

function expectAuthFailed(res: { status: number; body: unknown }) {
  expect(res.status).toBe(401);
  expect(res.body).toMatchObject({ error: { code: 'AUTH_FAILED' } });
}

/** A CA of our own making, with the very same name as the simulated one: only the key differs. */
async function forgedCertificate(nationalId: string, now: Date) {
  const alg = { name: 'Ed25519' };
  const caKeys = (await crypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const userKeys = (await crypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: '0badca',
    subject: [{ CN: ['Forged'] }, { '2.5.4.5': [nationalId] }, { C: ['TW'] }],
    issuer: SIM_CA_NAME,
    notBefore: new Date(now.getTime() - 86_400_000),
    notAfter: new Date(now.getTime() + 86_400_000 * 365),
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

describe('Citizen Digital Certificate login', () => {
  it('issues a real X.509 certificate with the ID in the subject serialNumber and logs in (web_certificate)', async () => {
    await setClock(api, '2020-03-12T09:00:00+08:00');
    const card = await issueCard(api, admin, { name: '陳美麗' });
    const cert = await issueCitizenCertificate(api, card.nationalId);
    const parsed = new x509.X509Certificate(cert.certificatePem);
    expect(parsed.subjectName.getField('2.5.4.5')).toEqual([card.nationalId]);
    expect(parsed.issuer).toBe(SIM_CA_NAME);
    expect(cert.privateKeyPem).toContain('BEGIN PRIVATE KEY');

    const res = await certLogin(cert, card.nationalId);
    expect(res.status).toBe(200);
    expect(res.body.person.name).toBe('陳美麗');
    const [session] = await t.sql<{ channel: string }[]>`
      select channel from sessions where person_id = ${card.personId}`;
    expect(session?.channel).toBe('web_certificate');
    // a web session: it may make device codes
    expect((await api.post('/api/v1/devices/codes', {}, { token: res.body.token })).status).toBe(201);
  });

  it('accepts ECDSA P-256 certificates with P1363 or DER signatures', async () => {
    await setClock(api, '2020-03-12T09:00:00+08:00');
    const card = await issueCard(api, admin);
    const cert = await issueCitizenCertificate(api, card.nationalId, { keyAlgorithm: 'ECDSA-P256' });
    const key = createPrivateKey(cert.privateKeyPem);
    expect(key.asymmetricKeyType).toBe('ec');
    const p1363 = (nonce: string) =>
      sign('sha256', Buffer.from(nonce), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url');
    const der = (nonce: string) => sign('sha256', Buffer.from(nonce), key).toString('base64url');
    expect((await certLogin(cert, card.nationalId, p1363)).status).toBe(200);
    expect((await certLogin(cert, card.nationalId, der)).status).toBe(200);
    expectAuthFailed(await certLogin(cert, card.nationalId, () => Buffer.alloc(64, 1).toString('base64url')));
  });

  it('refuses a certificate from a different, self-made CA with the same name', async () => {
    await setClock(api, '2020-03-12T09:00:00+08:00');
    const card = await issueCard(api, admin);
    await issueCitizenCertificate(api, card.nationalId); // the simulated CA exists
    const forged = await forgedCertificate(card.nationalId, t.deps.clock.now());
    expectAuthFailed(await certLogin(forged, card.nationalId));
  });

  it('refuses an expired certificate by the platform clock (and one not yet valid)', async () => {
    await setClock(api, '2020-03-12T09:00:00+08:00');
    const card = await issueCard(api, admin);
    const cert = await issueCitizenCertificate(api, card.nationalId, { validDays: 1 });
    await setClock(api, '2020-03-13T08:59:00+08:00');
    expect((await certLogin(cert, card.nationalId)).status).toBe(200);
    await setClock(api, '2020-03-13T09:00:01+08:00');
    expectAuthFailed(await certLogin(cert, card.nationalId));
    await setClock(api, '2020-03-12T08:59:00+08:00');
    expectAuthFailed(await certLogin(cert, card.nationalId));
  });

  it("refuses another person's certificate, a claim without an NHI card holder, and a wrong key", async () => {
    await setClock(api, '2020-03-12T09:00:00+08:00');
    const alice = await issueCard(api, admin);
    const bob = await issueCard(api, admin);
    const aliceCert = await issueCitizenCertificate(api, alice.nationalId);
    const bobCert = await issueCitizenCertificate(api, bob.nationalId);
    expectAuthFailed(await certLogin(aliceCert, bob.nationalId));
    // Bob's certificate with Alice's private key
    expectAuthFailed(await certLogin({ ...bobCert, privateKeyPem: aliceCert.privateKeyPem }, bob.nationalId));
    // a valid certificate, but nobody with that ID has an NHI card
    const stranger = randomNationalId();
    expectAuthFailed(await certLogin(await issueCitizenCertificate(api, stranger), stranger));
    // garbage
    expectAuthFailed(
      await certLogin(
        { certificatePem: 'not a pem', privateKeyPem: aliceCert.privateKeyPem },
        alice.nationalId,
      ),
    );
    expect(
      await t.sql`select 1 from sessions where person_id in (${alice.personId}, ${bob.personId})`,
    ).toHaveLength(0);
  });

  it('keeps the CA across a restart: earlier certificates still log in, and there is one CA', async () => {
    await setClock(api, '2020-03-12T09:00:00+08:00');
    const card = await issueCard(api, admin);
    const cert = await issueCitizenCertificate(api, card.nationalId);
    const second = await startTestApp({ DATABASE_URL: t.databaseUrl });
    try {
      const api2 = client(second.url);
      expect(await loginWithCertificate(api2, cert, card.nationalId)).toMatch(/^cit_/);
      const again = await issueCitizenCertificate(api2, card.nationalId);
      expect(new x509.X509Certificate(again.certificatePem).issuer).toBe(SIM_CA_NAME);
      expect(await loginWithCertificate(api, again, card.nationalId)).toMatch(/^cit_/);
    } finally {
      await second.close();
    }
    expect(await t.sql`select id from moica_ca`).toHaveLength(1);
  });

  it('validates the certificate request and hides the simulators when SIMULATORS is off', async () => {
    const bad = await api.post('/api/v1/sim/moica/certificates', { nationalId: 'A123456788' });
    expect(bad.status).toBe(400);
    const off = await startTestApp({ SIMULATORS: 'off' });
    try {
      const offApi = client(off.url);
      const moica = await offApi.post('/api/v1/sim/moica/certificates', { nationalId: 'A123456789' });
      expect(moica.status).toBe(404);
      expect(moica.body).toMatchObject({ error: { code: 'UNKNOWN_ROUTE' } });
      const telecom = await offApi.post('/api/v1/sim/telecom/subscribers', {
        phone: '0912345678',
        carrier: 'CHT',
        plan: 'monthly',
        ownerId: 'A123456789',
        status: 'active',
        mobileData: true,
      });
      expect(telecom.status).toBe(404);
    } finally {
      await off.close();
    }
  });
});
