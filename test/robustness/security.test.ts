import { describe, expect, it } from 'vitest';
import {
  DEMO_DATA_ENCRYPTION_KEYS,
  loadConfig,
  productionConfigProblems,
} from '../../src/platform/config.js';
import { pruneExpired } from '../../src/platform/maintenance.js';
import { startTestApp } from '../support/app.js';
import { setClock } from '../support/factories.js';
import { setUpTestApp } from '../support/fixture.js';

/** Web security, abuse limits and maintenance (issue 6 points 3 and 5; docs/SECURITY.md). */
const t = setUpTestApp({ CHALLENGE_RATE_LIMIT: '5' });
const api = t.api;

describe('security headers', () => {
  it('sends a Content-Security-Policy fit for the same-origin web UI, and the usual hardening headers', async () => {
    const res = await api.get('/api/v1/rounds');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("img-src 'self' data: blob:");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it('serves the API reference at /docs under the same policy, with no script at all', async () => {
    const res = await fetch(`${t.url}/docs`, { redirect: 'follow' });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('<code>/api/v1/orders/lookup</code>');
    const css = await fetch(`${t.url}/docs/static/reference.css`);
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toContain('text/css');
    expect((await api.get('/docs/json')).status).toBe(200);
  });

  it('answers no CORS grant to a foreign origin, preflight or not', async () => {
    const preflight = await fetch(`${t.url}/api/v1/orders/lookup`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, authorization',
      },
    });
    expect(preflight.status).toBeLessThan(500);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    const simple = await fetch(`${t.url}/api/v1/rounds`, { headers: { origin: 'https://evil.example' } });
    expect(simple.status).toBe(200);
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('production configuration', () => {
  it('refuses demo secrets, whatever CLOCK and SIMULATORS say', () => {
    const prod = { CLOCK: 'real', SIMULATORS: 'off' };
    const ownKeys = {
      DATA_ENCRYPTION_KEYS: `k2026:${Buffer.alloc(32, 7).toString('base64')}`,
      BLIND_INDEX_KEY: Buffer.alloc(32, 9).toString('base64'),
    };
    const problems = (env: Record<string, string>) =>
      productionConfigProblems(loadConfig({ ...prod, ...env }));
    expect(problems({})).toHaveLength(4);
    expect(problems({ ADMIN_PASSWORD: 'admin' })).toHaveLength(4);
    expect(problems({ ADMIN_PASSWORD: 's3cret-operator-pass', ...ownKeys })).toEqual([
      expect.stringContaining('BANK_NOTICE_SECRET'),
    ]);
    const secrets = {
      ADMIN_PASSWORD: 's3cret-operator-pass',
      BANK_NOTICE_SECRET: 'agreed-with-banks-32-bytes-or-more',
    };
    expect(problems(secrets)).toEqual([
      expect.stringContaining('DATA_ENCRYPTION_KEYS'),
      expect.stringContaining('BLIND_INDEX_KEY'),
    ]);
    // A retired demo key left in the ring is refused too: it could still open old rows.
    expect(
      problems({
        ...secrets,
        ...ownKeys,
        DATA_ENCRYPTION_KEYS: `${ownKeys.DATA_ENCRYPTION_KEYS},${DEMO_DATA_ENCRYPTION_KEYS}`,
      }),
    ).toEqual([expect.stringContaining('DATA_ENCRYPTION_KEYS')]);
    expect(problems({ ...secrets, ...ownKeys })).toEqual([]);
    // The production entry asks this whatever the mode (src/main.ts); demo mode is no excuse.
    expect(productionConfigProblems(loadConfig({ CLOCK: 'manual' }))).toHaveLength(4);
    expect(productionConfigProblems(loadConfig({ SIMULATORS: 'on', ...secrets, ...ownKeys }))).toEqual([]);
  });

  it('does not start in production mode with the demo defaults', async () => {
    await expect(startTestApp({ CLOCK: 'real', SIMULATORS: 'off' })).rejects.toThrow(/BANK_NOTICE_SECRET/);
  });
});

describe('challenge creation limit', () => {
  it('answers 429 + Retry-After beyond the per-address limit, and issuing writes nothing', async () => {
    const before = await t.sql<{ n: number }[]>`select count(*)::int as n from challenges`;
    const answers = [];
    for (let i = 0; i < 7; i++) answers.push(await api.post('/api/v1/auth/challenges', {}));
    expect(answers.slice(0, 5).map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    const refused = answers[5];
    expect(refused?.status).toBe(429);
    expect(refused?.body).toMatchObject({ error: { code: 'TOO_MANY_REQUESTS' } });
    const retryAfter = Number(refused?.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(answers[6]?.status).toBe(429);
    const after = await t.sql<{ n: number }[]>`select count(*)::int as n from challenges`;
    // Challenges are stateless until used (src/identity/challenges.ts): a flood costs no write.
    expect((after[0]?.n ?? 0) - (before[0]?.n ?? 0)).toBe(0);
  });
});

describe('maintenance', () => {
  it('prunes expired challenges, old rate-limit hits and idempotency records, and nothing live', async () => {
    await setClock(api, '2020-03-20T12:00:00+08:00');
    const now = new Date('2020-03-20T12:00:00+08:00');
    const ago = (ms: number) => new Date(now.getTime() - ms);
    const H = 3600_000;
    await t.sql`delete from challenges`;
    await t.sql`insert into challenges (id, nonce, created_at, expires_at) values
      ('00000000-0000-4000-8000-000000000001', 'old', ${ago(3 * H)}, ${ago(2 * H)}),
      ('00000000-0000-4000-8000-000000000002', 'recently-expired', ${ago(10 * 60_000)}, ${ago(5 * 60_000)}),
      ('00000000-0000-4000-8000-000000000003', 'live', ${now}, ${new Date(now.getTime() + 5 * 60_000)})`;
    await t.sql`insert into rate_limit_buckets (bucket, max, window_ms, hits) values
      ('maint-old', 5, ${H}, array[${ago(50 * H)}, ${ago(48 * H)}]::timestamptz[]),
      ('maint-empty', 5, ${H}, '{}'),
      ('maint-live', 5, ${H}, array[${ago(48 * H)}, ${ago(30 * 60_000)}]::timestamptz[])`;
    await t.sql`insert into idempotency_keys (scope, key, fingerprint, status, body, created_at) values
      ('maint-test', 'old', 'f', 201, '{}', ${ago(8 * 24 * H)}),
      ('maint-test', 'recent', 'f', 201, '{}', ${ago(24 * H)})`;

    const result = await pruneExpired(t.deps);
    expect(result.challenges).toBe(1);
    expect(result.rateLimitHits).toBeGreaterThanOrEqual(2);
    expect(result.idempotencyKeys).toBe(1);
    const nonces = await t.sql<{ nonce: string }[]>`select nonce from challenges order by nonce`;
    expect(nonces.map((r) => r.nonce)).toEqual(['live', 'recently-expired']);
    const buckets = await t.sql<{ bucket: string }[]>`
      select bucket from rate_limit_buckets where bucket like 'maint-%'`;
    expect(buckets.map((b) => b.bucket)).toEqual(['maint-live']);
    const keys = await t.sql<{ key: string }[]>`select key from idempotency_keys where scope = 'maint-test'`;
    expect(keys.map((r) => r.key)).toEqual(['recent']);
  });
});
