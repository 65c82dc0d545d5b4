// Over 300 lines: one contract section (limits under concurrency), one race per limit, sharing the burst helpers.
/**
 * API.md v1.1 "Limits under concurrency": a limit of N failures lets at most N failed tries be
 * evaluated in its window, however many arrive at once; every other try gets 429 with
 * Retry-After, whether or not it would have been right. Each test fires hundreds of tries at
 * once (wrong ones, and the right one among them) and asserts the exact bound.
 * Every limit here is per kind of sign-in, so each test sets the clock to a day of its own.
 */
import http from 'node:http';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  addTelecomSubscriber,
  adminLogin,
  CARD_PASSWORD,
  citizenLogin,
  createRound,
  createStore,
  issueCard,
  newChallenge,
  newDeviceKeys,
  randomNationalId,
  randomPhone,
  registerCard,
  setClock,
  signNonce,
} from '../support/factories.js';
import { setUpTestApp } from '../support/fixture.js';
import type { Reply } from '../support/http.js';

const t = setUpTestApp();
const api = t.api;
let admin: string;

beforeAll(async () => {
  await setClock(api, '2020-03-12T09:00:00+08:00');
  admin = await t.admin();
});

/** A day of its own for a test: the clock moves on, and the operator signs in again. */
async function newDay(iso: string): Promise<void> {
  await setClock(api, iso);
  admin = await adminLogin(api);
}

/** Tries counted in every bucket (failures and tries still being evaluated). */
async function countedTries(): Promise<number> {
  const [row] = await t.sql<{ n: number }[]>`
    select coalesce(sum(cardinality(hits)), 0)::int as n from rate_limit_buckets`;
  return row?.n ?? 0;
}

/** A citizen with an order in a new round, placed with a phone of their own. */
async function personWithOrder(): Promise<{ card: { nationalId: string }; phone: string }> {
  const store = await createStore(api, admin);
  const round = await createRound(api, admin);
  const { card, token } = await citizenLogin(api, admin);
  const phone = randomPhone();
  const placed = await api.put(
    `/api/v1/rounds/${round.id}/order`,
    { storeId: store.id, phone, email: 'race@example.com' },
    { token },
  );
  expect(placed.status, placed.text).toBe(200);
  return { card, phone };
}

/** How many answers had each "status code" (e.g. `{"401 AUTH_FAILED": 5, "429 TOO_MANY_REQUESTS": 295}`). */
function tally(replies: Reply[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of replies) {
    const code = (r.body as { error?: { code?: string } } | undefined)?.error?.code ?? 'ok';
    const key = `${r.status} ${code}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

function expectRetryAfter(replies: Reply[]): void {
  for (const r of replies.filter((x) => x.status === 429)) {
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
  }
}

/** A POST sent from a given loopback source address (127.0.0.0/8), for per-address limits. */
function postFrom(localAddress: string, path: string, body: unknown): Promise<Reply> {
  const url = new URL(path, t.url);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress,
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: new Headers(res.headers as Record<string, string>),
            body: text ? JSON.parse(text) : {},
            text,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

describe('limits on failed tries hold when hundreds race', () => {
  it('order look-up: of 300 tries at once for one ID, exactly 10 wrong pairs are evaluated; the right pair only if among the first', async () => {
    await setClock(api, '2020-03-12T10:00:00+08:00');
    const { card, phone } = await personWithOrder();
    const right = phone.slice(-3);
    const guesses = Array.from({ length: 300 }, (_, i) =>
      i === 150 ? right : String((Number(right) + 1 + i) % 1000).padStart(3, '0'),
    );
    // From many addresses, so that only the per-ID limit (10 an hour) binds.
    const replies = await Promise.all(
      guesses.map((last3, i) =>
        postFrom(`127.0.${1 + (i % 50)}.${1 + Math.floor(i / 50)}`, '/api/v1/orders/lookup', {
          nationalId: card.nationalId,
          phoneLast3: last3,
        }),
      ),
    );
    const counts = tally(replies);
    const found = replies.filter(
      (r) => r.status === 200 && (r.body as { orders: unknown[] }).orders.length > 0,
    );
    const empty = replies.filter(
      (r) => r.status === 200 && (r.body as { orders: unknown[] }).orders.length === 0,
    );
    expect(empty.length, JSON.stringify(counts)).toBe(10);
    expect(found.length).toBeLessThanOrEqual(1);
    expect(counts['429 TOO_MANY_REQUESTS']).toBe(300 - 10 - found.length);
    expectRetryAfter(replies);
    // The window is full: the right pair is refused now too.
    const after = await api.post('/api/v1/orders/lookup', { nationalId: card.nationalId, phoneLast3: right });
    expect(after.status).toBe(429);
  });

  it('order look-up: the right pair is refused while 10 wrong tries for the ID are still being evaluated', async () => {
    await newDay('2020-03-12T12:00:00+08:00');
    const { card, phone } = await personWithOrder();
    // Hold the orders table, so that tries which reached the evaluation wait there.
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const locked = new Promise<void>((ready) => {
      void t.sql.begin(async (tx) => {
        await tx`lock table orders in access exclusive mode`;
        ready();
        await held;
      });
    });
    await locked;
    const before = await countedTries();
    const wrong = Array.from({ length: 10 }, (_, i) =>
      postFrom(`127.0.40.${1 + i}`, '/api/v1/orders/lookup', {
        nationalId: card.nationalId,
        phoneLast3: String((Number(phone.slice(-3)) + 1 + i) % 1000).padStart(3, '0'),
      }),
    );
    // Until the 10 tries are in (reserved) or, with a limit counted only afterwards, 2 s.
    for (let waited = 0; waited < 2000; waited += 50) {
      if ((await countedTries()) - before >= 20) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const right = postFrom('127.0.40.99', '/api/v1/orders/lookup', {
      nationalId: card.nationalId,
      phoneLast3: phone.slice(-3),
    });
    await new Promise((r) => setTimeout(r, 300));
    release();
    const answered = await right;
    expect(answered.status, answered.text).toBe(429);
    expect(tally(await Promise.all(wrong))).toEqual({ '200 ok': 10 });
  });

  it('order look-up: of 200 tries at once from one address, exactly 30 wrong ones are evaluated', async () => {
    await newDay('2020-03-13T10:00:00+08:00');
    const replies = await Promise.all(
      Array.from({ length: 200 }, () =>
        postFrom('127.0.99.1', '/api/v1/orders/lookup', {
          nationalId: randomNationalId(),
          phoneLast3: '123',
        }),
      ),
    );
    expect(tally(replies)).toEqual({ '200 ok': 30, '429 TOO_MANY_REQUESTS': 170 });
    expectRetryAfter(replies);
  });

  it('NHI-card sign-in: of 200 signed tries at once with wrong passwords (and the right one), exactly 5 are evaluated', async () => {
    await newDay('2020-03-14T10:00:00+08:00');
    const card = await issueCard(api, admin);
    await registerCard(api, card);
    const challenges = await Promise.all(Array.from({ length: 200 }, () => newChallenge(api)));
    const replies = await Promise.all(
      challenges.map((c, i) =>
        postFrom(`127.0.${1 + (i % 50)}.${1 + Math.floor(i / 50)}`, '/api/v1/auth/nhi-card/login', {
          cardNo: card.cardNo,
          challengeId: c.challengeId,
          signature: signNonce(card.privateKeyPem, c.nonce),
          password: i === 100 ? CARD_PASSWORD : `wrong-password-${i}`,
        }),
      ),
    );
    const counts = tally(replies);
    const signedIn = counts['200 ok'] ?? 0;
    expect(counts['401 AUTH_FAILED'], JSON.stringify(counts)).toBe(5);
    expect(signedIn).toBeLessThanOrEqual(1);
    expect(counts['429 TOO_MANY_REQUESTS']).toBe(200 - 5 - signedIn);
    expectRetryAfter(replies);
  });

  it('NHI-card sign-in: bad signatures (no card present) never lock the card holder out', async () => {
    await newDay('2020-03-15T10:00:00+08:00');
    const card = await issueCard(api, admin);
    await registerCard(api, card);
    const challenges = await Promise.all(Array.from({ length: 20 }, () => newChallenge(api)));
    const garbage = await Promise.all(
      challenges.map((c, i) =>
        postFrom(`127.0.50.${1 + i}`, '/api/v1/auth/nhi-card/login', {
          cardNo: card.cardNo,
          challengeId: c.challengeId,
          signature: 'AAAA',
          password: 'whatever-1',
        }),
      ),
    );
    expect(tally(garbage)).toEqual({ '401 AUTH_FAILED': 20 });
    // The owner, with the card in the reader, still signs in and can register again.
    const c = await newChallenge(api);
    const owner = await api.post('/api/v1/auth/nhi-card/login', {
      cardNo: card.cardNo,
      challengeId: c.challengeId,
      signature: signNonce(card.privateKeyPem, c.nonce),
      password: CARD_PASSWORD,
    });
    expect(owner.status, owner.text).toBe(200);
    await registerCard(api, card, 'a-new-password-2');
  });

  it('phone sign-in: of 300 tries at once with a victim’s phone and ID and every card-digit guess, exactly 5 mismatches are evaluated', async () => {
    await newDay('2020-03-16T10:00:00+08:00');
    const victim = await issueCard(api, admin);
    const line = await addTelecomSubscriber(api, victim.nationalId);
    const { publicKeyPem } = await newDeviceKeys();
    const rightLast4 = victim.cardNo.slice(-4);
    const replies = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        postFrom(`127.0.${1 + (i % 50)}.${1 + Math.floor(i / 50)}`, '/api/v1/auth/phone', {
          phone: line.phone,
          nationalId: victim.nationalId,
          cardLast4: i === 299 ? rightLast4 : String((Number(rightLast4) + 1 + i) % 10_000).padStart(4, '0'),
          password: 'attacker-password',
          devicePublicKeyPem: publicKeyPem,
        }),
      ),
    );
    const counts = tally(replies);
    const bound = counts['201 ok'] ?? 0;
    expect(counts['403 IDENTITY_MISMATCH'], JSON.stringify(counts)).toBe(5);
    expect(bound).toBeLessThanOrEqual(1);
    expect(counts['429 TOO_MANY_REQUESTS']).toBe(300 - 5 - bound);
    expectRetryAfter(replies);
  });

  it('phone sign-in tells a stranger nothing about the number: a wrong ID/card pair is IDENTITY_MISMATCH whatever the line', async () => {
    await newDay('2020-03-17T10:00:00+08:00');
    const stranger = await issueCard(api, admin);
    const owner = await issueCard(api, admin);
    const { publicKeyPem } = await newDeviceKeys();
    const lines = await Promise.all([
      addTelecomSubscriber(api, owner.nationalId, { plan: 'prepaid' }),
      addTelecomSubscriber(api, owner.nationalId, { plan: 'corporate' }),
      addTelecomSubscriber(api, owner.nationalId, { carrier: 'MVNO' }),
      addTelecomSubscriber(api, owner.nationalId),
    ]);
    for (const [i, line] of lines.entries()) {
      const res = await postFrom(`127.0.60.${1 + i}`, '/api/v1/auth/phone', {
        phone: line.phone,
        nationalId: stranger.nationalId,
        cardLast4: String((Number(stranger.cardNo.slice(-4)) + 1) % 10_000).padStart(4, '0'),
        password: 'attacker-password',
        devicePublicKeyPem: publicKeyPem,
      });
      expect(res.status).toBe(403);
      expect((res.body as { error: { code: string } }).error.code).toBe('IDENTITY_MISMATCH');
    }
    // Only after the ID and card digits match does the caller learn about the number.
    const own = await postFrom('127.0.60.9', '/api/v1/auth/phone', {
      phone: lines[0]?.phone,
      nationalId: owner.nationalId,
      cardLast4: owner.cardNo.slice(-4),
      password: 'owner-password',
      devicePublicKeyPem: publicKeyPem,
    });
    expect((own.body as { error: { code: string } }).error.code).toBe('PHONE_PREPAID');
  });

  it('device codes: of 200 guesses at once from one address (and the right code), exactly 10 wrong ones are evaluated', async () => {
    await newDay('2020-03-18T10:00:00+08:00');
    const { token } = await citizenLogin(api, admin);
    const made = await api.post<{ code: string }>('/api/v1/devices/codes', {}, { token });
    expect(made.status).toBe(201);
    const { publicKeyPem } = await newDeviceKeys();
    const real = made.body.code;
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        postFrom('127.0.70.1', '/api/v1/devices/bind', {
          code:
            i === 100 ? real : String((Number(real) + 1 + i) % 10 ** real.length).padStart(real.length, '0'),
          devicePublicKeyPem: publicKeyPem,
        }),
      ),
    );
    const counts = tally(replies);
    const bound = counts['201 ok'] ?? 0;
    expect(counts['410 DEVICE_CODE_EXPIRED'], JSON.stringify(counts)).toBe(10);
    expect(bound).toBeLessThanOrEqual(1);
    expect(counts['429 TOO_MANY_REQUESTS']).toBe(200 - 10 - bound);
    expectRetryAfter(replies);
  });

  it('operator sign-in: of 200 passwords at once for one username from one address, exactly 10 wrong ones are tried', async () => {
    await newDay('2020-03-19T10:00:00+08:00');
    const replies = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        postFrom('127.0.80.1', '/api/v1/admin/login', {
          username: 'admin',
          password: i === 100 ? ADMIN_PASSWORD : `guess-${i}`,
        }),
      ),
    );
    const counts = tally(replies);
    const signedIn = counts['200 ok'] ?? 0;
    expect(counts['401 BAD_CREDENTIALS'], JSON.stringify(counts)).toBe(10);
    expect(signedIn).toBeLessThanOrEqual(1);
    expect(counts['429 TOO_MANY_REQUESTS']).toBe(200 - 10 - signedIn);
    expectRetryAfter(replies);
    // Another address is not locked out by this one (the limit is per username and address).
    const elsewhere = await postFrom('127.0.80.2', '/api/v1/admin/login', {
      username: 'admin',
      password: ADMIN_PASSWORD,
    });
    expect(elsewhere.status).toBe(200);
  });

  it('device and certificate sign-in: bad signatures count against the address only, and at most 50 are evaluated at once', async () => {
    await newDay('2020-03-20T10:00:00+08:00');
    const challenges = await Promise.all(Array.from({ length: 200 }, () => newChallenge(api)));
    const replies = await Promise.all(
      challenges.map((c) =>
        postFrom('127.0.90.1', '/api/v1/auth/device/login', {
          deviceId: 1,
          challengeId: c.challengeId,
          signature: 'AAAA',
        }),
      ),
    );
    expect(tally(replies)).toEqual({ '401 AUTH_FAILED': 50, '429 TOO_MANY_REQUESTS': 150 });
  });
});
