import { generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CARD_PASSWORD,
  issueCard,
  loginWithCard,
  newChallenge,
  registerCard,
  setClock,
  signNonce,
  type TestCard,
} from '../../test/support/factories.js';
import { setUpTestApp } from '../../test/support/fixture.js';

const t = setUpTestApp();
const api = t.api;
let admin: string;

beforeAll(async () => {
  admin = await t.admin();
});

const otherKey = generateKeyPairSync('ed25519')
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();

async function cardCall(
  path: 'register' | 'login',
  card: TestCard,
  options: { password?: string; signWith?: string; challenge?: { challengeId: string; nonce: string } } = {},
) {
  const c = options.challenge ?? (await newChallenge(api));
  return api.post<{ token: string; person: { name: string; nationalIdMasked: string } }>(
    `/api/v1/auth/nhi-card/${path}`,
    {
      cardNo: card.cardNo,
      challengeId: c.challengeId,
      signature: signNonce(options.signWith ?? card.privateKeyPem, c.nonce),
      password: options.password ?? CARD_PASSWORD,
    },
  );
}

const sessionCount = async (personId: number) =>
  (await t.sql<{ n: number }[]>`select count(*)::int as n from sessions where person_id = ${personId}`)[0]?.n;

describe('challenges', () => {
  it('are single use: the second use of a challenge fails even with a good signature', async () => {
    await setClock(api, '2020-03-02T10:00:00+08:00');
    const card = await issueCard(api, admin);
    const c = await newChallenge(api);
    expect(c.challengeId).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Date(c.expiresAt).getTime() - new Date('2020-03-02T10:00:00+08:00').getTime()).toBe(
      5 * 60_000,
    );
    expect((await cardCall('register', card, { challenge: c })).status).toBe(201);
    const again = await cardCall('login', card, { challenge: c });
    expect(again.status).toBe(401);
    expect(again.body).toMatchObject({ error: { code: 'AUTH_FAILED' } });
    expect(await sessionCount(card.personId)).toBe(0);
  });

  it('expire 5 minutes after issue, by the platform clock', async () => {
    await setClock(api, '2020-03-03T10:00:00+08:00');
    const card = await issueCard(api, admin);
    await registerCard(api, card);
    const early = await newChallenge(api);
    const late = await newChallenge(api);
    await setClock(api, '2020-03-03T10:04:59+08:00');
    expect((await cardCall('login', card, { challenge: early })).status).toBe(200);
    await setClock(api, '2020-03-03T10:05:00+08:00');
    const expired = await cardCall('login', card, { challenge: late });
    expect(expired.status).toBe(401);
    expect(expired.body).toMatchObject({ error: { code: 'AUTH_FAILED' } });
  });
});

describe('NHI card registration and login', () => {
  it('registers, then logs in with card + password and gets a web_card session and a masked ID', async () => {
    await setClock(api, '2020-03-04T10:00:00+08:00');
    const card = await issueCard(api, admin, { name: '王小明' });
    const registered = await cardCall('register', card, { password: 'first-pass' });
    expect(registered.status).toBe(201);
    const [reg] = await t.sql<{ password_hash: string }[]>`
      select password_hash from card_registrations where card_no = ${card.cardNo}`;
    expect(reg?.password_hash).toMatch(/^scrypt\$/);
    expect(reg?.password_hash).not.toContain('first-pass');

    const res = await cardCall('login', card, { password: 'first-pass' });
    expect(res.status).toBe(200);
    expect(res.body.person).toEqual({
      name: '王小明',
      nationalIdMasked: `${card.nationalId.slice(0, 2)}****${card.nationalId.slice(-4)}`,
    });
    expect(JSON.stringify(res.body)).not.toContain(card.nationalId);
    const [session] = await t.sql<{ channel: string; person_id: number }[]>`
      select channel, person_id from sessions where person_id = ${card.personId}`;
    expect(session).toEqual({ channel: 'web_card', person_id: card.personId });
    const me = await api.get<{ channel: string }>('/api/v1/auth/session', { token: res.body.token });
    expect(me.status).toBe(200);
    expect(me.body.channel).toBe('web_card');
  });

  it('registering again sets a new password: the old one stops working [ID 3]', async () => {
    await setClock(api, '2020-03-05T10:00:00+08:00');
    const card = await issueCard(api, admin);
    await registerCard(api, card, 'old-password');
    expect((await cardCall('login', card, { password: 'old-password' })).status).toBe(200);
    await registerCard(api, card, 'new-password');
    const old = await cardCall('login', card, { password: 'old-password' });
    expect(old.status).toBe(401);
    expect(old.body).toMatchObject({ error: { code: 'AUTH_FAILED' } });
    expect((await cardCall('login', card, { password: 'new-password' })).status).toBe(200);
  });

  it('refuses with AUTH_FAILED: bad signature, wrong password, unregistered card, revoked card', async () => {
    await setClock(api, '2020-03-06T10:00:00+08:00');
    const card = await issueCard(api, admin);
    await registerCard(api, card);

    const badSignature = await cardCall('login', card, { signWith: otherKey });
    const wrongPassword = await cardCall('login', card, { password: 'not-the-password' });
    const unregistered = await cardCall('login', await issueCard(api, admin));
    const badRegistration = await cardCall('register', card, { signWith: otherKey, password: 'hijacked!' });
    for (const res of [badSignature, wrongPassword, unregistered, badRegistration]) {
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ error: { code: 'AUTH_FAILED' } });
    }
    // the refused registration did not change the password
    expect((await cardCall('login', card)).status).toBe(200);

    // a reissue revokes the card: the old card no longer logs in, the new one needs registering
    const reissued = await issueCard(api, admin, { nationalId: card.nationalId });
    const revoked = await cardCall('login', card);
    expect(revoked.status).toBe(401);
    expect((await cardCall('register', card)).status).toBe(401);
    expect((await cardCall('login', reissued)).status).toBe(401);
    await registerCard(api, reissued);
    expect((await cardCall('login', reissued)).status).toBe(200);
  });

  it('validates the body', async () => {
    const res = await api.post('/api/v1/auth/nhi-card/login', {
      cardNo: '123',
      challengeId: 'x',
      signature: 'y',
      password: 'z',
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });

  it('two concurrent logins with the same challenge: exactly one succeeds', async () => {
    await setClock(api, '2020-03-07T10:00:00+08:00');
    const card = await issueCard(api, admin);
    await registerCard(api, card);
    // Two rounds: their four failures stay under the per-card limit of five, so every loser is a
    // plain 401 (a third round could cross the limit mid-race and answer 429).
    for (let round = 0; round < 2; round++) {
      const c = await newChallenge(api);
      const results = await Promise.all([
        cardCall('login', card, { challenge: c }),
        cardCall('login', card, { challenge: c }),
        cardCall('login', card, { challenge: c }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual([200, 401, 401]);
    }
    expect(await sessionCount(card.personId)).toBe(2);
  });
});

describe('rate limits on failed logins', () => {
  it('per card: after 5 failures even the right password gets 429 with Retry-After, until the window passes', async () => {
    await setClock(api, '2020-03-08T10:00:00+08:00');
    const card = await issueCard(api, admin);
    await registerCard(api, card);
    for (let i = 0; i < 5; i++) {
      expect((await cardCall('login', card, { password: `guess-${i}` })).status).toBe(401);
    }
    const limited = await cardCall('login', card);
    expect(limited.status).toBe(429);
    expect(limited.body).toMatchObject({ error: { code: 'TOO_MANY_REQUESTS' } });
    expect(Number(limited.headers.get('retry-after'))).toBe(15 * 60);
    // another card from the same address is not affected
    const other = await issueCard(api, admin);
    await registerCard(api, other);
    expect((await cardCall('login', other)).status).toBe(200);
    await setClock(api, '2020-03-08T10:15:01+08:00');
    expect((await cardCall('login', card)).status).toBe(200);
  });

  it('per client address: 50 failures in 10 minutes block further logins from that address', async () => {
    await setClock(api, '2020-03-09T10:00:00+08:00');
    const card = await issueCard(api, admin);
    await registerCard(api, card);
    for (let i = 0; i < 50; i++) {
      const res = await api.post('/api/v1/auth/nhi-card/login', {
        cardNo: String(900000000000 + i),
        challengeId: 'not-a-challenge',
        signature: 'AAAA',
        password: 'x',
      });
      expect(res.status).toBe(401);
    }
    const limited = await cardCall('login', card);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    await setClock(api, '2020-03-09T10:10:01+08:00');
    expect((await cardCall('login', card)).status).toBe(200);
  });
});

describe('sessions', () => {
  it('logout revokes the token; a second logout and any use of it are 401', async () => {
    await setClock(api, '2020-03-10T10:00:00+08:00');
    const card = await issueCard(api, admin);
    await registerCard(api, card);
    const token = await loginWithCard(api, card);
    expect((await api.get('/api/v1/auth/session', { token })).status).toBe(200);
    const out = await api.post('/api/v1/auth/logout', {}, { token });
    expect(out.status).toBe(204);
    const [row] = await t.sql<{ revoked: boolean }[]>`
      select revoked_at is not null as revoked from sessions where person_id = ${card.personId}`;
    expect(row?.revoked).toBe(true);
    expect((await api.get('/api/v1/auth/session', { token })).status).toBe(401);
    expect((await api.post('/api/v1/devices/codes', {}, { token })).status).toBe(401);
    expect((await api.post('/api/v1/auth/logout', {}, { token })).status).toBe(401);
    expect((await api.post('/api/v1/auth/logout', {})).status).toBe(401);
  });

  it('a citizen token expires 24 hours after its last use (401)', async () => {
    await setClock(api, '2020-03-11T10:00:00+08:00');
    const card = await issueCard(api, admin);
    await registerCard(api, card);
    const token = await loginWithCard(api, card);
    await setClock(api, '2020-03-12T09:59:00+08:00');
    expect((await api.get('/api/v1/auth/session', { token })).status).toBe(200);
    await setClock(api, '2020-03-13T10:00:00+08:00');
    const expired = await api.get('/api/v1/auth/session', { token });
    expect(expired.status).toBe(401);
    expect(expired.body).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
  });
});
