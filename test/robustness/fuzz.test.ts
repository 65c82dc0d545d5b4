import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { adminLogin } from '../support/factories.js';
import { type Client, client } from '../support/http.js';

/**
 * Hostile input (issue 6): generated bodies, headers and path parameters sent to every route of
 * the OpenAPI document. Whatever arrives, the answer is never a 5xx, every 4xx carries an error
 * code, and the server is healthy afterwards.
 */
let t: TestApp;
let api: Client;
let routes: { method: string; path: string }[] = [];
let adminToken = '';

beforeAll(async () => {
  t = await startTestApp();
  api = client(t.url);
  adminToken = await adminLogin(api);
  const doc = await api.get<{ paths: Record<string, Record<string, unknown>> }>('/docs/json');
  routes = Object.entries(doc.body.paths).flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((m) => ['get', 'post', 'put', 'delete', 'patch'].includes(m))
      .map((method) => ({ method: method.toUpperCase(), path })),
  );
});
afterAll(() => t.close());

const jsonValue = fc.jsonValue({ maxDepth: 3 });
const weirdString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '',
    '0',
    '-1',
    '99999999999999999999',
    'null',
    '../../etc/passwd',
    '%00',
    "' or 1=1 --",
    'A123456789',
    '😷',
    ' ',
  ),
);
const body = fc.oneof(
  jsonValue.map((v) => ({ raw: JSON.stringify(v), type: 'application/json' })),
  fc
    .dictionary(
      fc.constantFrom(
        'cardNo',
        'nationalId',
        'phone',
        'storeId',
        'seed',
        'amount',
        'item',
        'serial',
        'code',
        'now',
        'password',
        'username',
        'challengeId',
        'signature',
        'adult',
        'child',
        'document',
        'buyerDocument',
        'packs',
        'toAccount',
      ),
      fc.oneof(jsonValue, weirdString),
    )
    .map((v) => ({
      raw: JSON.stringify(v),
      type: 'application/json',
    })),
  fc.string({ maxLength: 200 }).map((s) => ({ raw: s, type: 'application/json' })),
  fc.string({ maxLength: 100 }).map((s) => ({ raw: s, type: 'text/plain' })),
);

function fillPath(template: string, values: string[]): string {
  let i = 0;
  return template.replace(/\{[^}]+\}/g, () => encodeURIComponent(values[i++ % values.length] ?? 'x'));
}

describe('hostile input', () => {
  it('never answers 5xx and always names an error code, on every route', async () => {
    expect(routes.length).toBeGreaterThan(10);
    await fc.assert(
      fc.asyncProperty(
        fc.nat(),
        fc.array(weirdString, { minLength: 1, maxLength: 3 }),
        body,
        fc.constantFrom<'none' | 'admin' | 'garbage'>('none', 'admin', 'garbage'),
        fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
        async (pick, params, b, auth, idem) => {
          const route = routes[pick % routes.length];
          if (!route) return;
          const path = fillPath(route.path, params);
          const headers: Record<string, string> = {};
          if (route.method !== 'GET') headers['content-type'] = b.type;
          if (auth === 'admin') headers.authorization = `Bearer ${adminToken}`;
          if (auth === 'garbage') headers.authorization = 'Bearer garbage-token-!@#';
          if (idem !== undefined) headers['idempotency-key'] = idem.replace(/[^\x20-\x7e]/g, 'x');
          const res = await api.call(route.method, path, {
            headers,
            ...(route.method === 'GET' ? {} : { raw: b.raw }),
          });
          if (res.status >= 500) {
            throw new Error(
              `${route.method} ${path} ${b.raw.slice(0, 200)} → ${res.status} ${res.text.slice(0, 300)}`,
            );
          }
          if (res.status >= 400 && res.status !== 304) {
            expect(
              (res.body as { error?: { code?: string } }).error?.code,
              `${route.method} ${path}`,
            ).toMatch(/^[A-Z_]+$/);
          }
        },
      ),
      { numRuns: 600 },
    );
    expect((await api.get('/healthz')).status).toBe(200);
    expect((await api.get('/readyz')).status).toBe(200);
  });
});
