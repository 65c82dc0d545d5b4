import http from 'node:http';
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
  it('never answers 5xx to generated headers, paths and methods', async () => {
    const segment = fc.oneof(
      fc.string({ maxLength: 20 }).map((x) => encodeURIComponent(x)),
      fc.constantFrom(
        '%',
        '%E0%A4%A',
        '%ZZ',
        '%00',
        '%2e%2e',
        '..',
        '.',
        '%2F',
        '%C0%AF',
        '%FF%FE',
        ';',
        '?',
        '#x',
        '~',
      ),
      fc.constantFrom('api', 'v1', 'rounds', 'orders', 'pharmacies', 'stores', 'sim', 'admin', 'docs', 'me'),
      fc.integer().map(String),
      fc.nat({ max: 3000 }).map((n) => 'a'.repeat(n)),
    );
    const path = fc.oneof(
      fc.array(segment, { maxLength: 8 }).map((xs) => `/${xs.join('/')}`),
      fc.nat().chain((pick) => {
        const route = routes[pick % routes.length];
        return fc.array(segment, { minLength: 1, maxLength: 3 }).map((xs) =>
          fillPath(
            route?.path ?? '/',
            xs.map((x) => decodeURIComponentSafe(x)),
          ),
        );
      }),
      fc
        .array(segment, { maxLength: 4 })
        .map((xs) => `/api/v1/${xs.join('/')}?${xs.join('&')}=%zz&a[]=1&a[b]=2`),
    );
    const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS');
    const contentType = fc.constantFrom(
      'application/json',
      'application/json; charset=latin1',
      'application/json; charset=utf-8; boundary=x',
      'APPLICATION/JSON',
      'text/plain',
      'text/html',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=----x',
      'application/octet-stream',
      'application/xml',
      '*/*',
      'application/',
      ';;;',
      'application/json, text/plain',
    );
    const visible = fc.string({ maxLength: 60 }).map((x) => x.replace(/[^\x20-\x7e]/g, 'x'));
    const headerValue = fc.oneof(
      visible,
      fc.nat({ max: 12_000 }).map((n) => 'h'.repeat(n)),
    );
    const extraHeaders = fc.dictionary(
      fc.constantFrom(
        'x-forwarded-for',
        'accept',
        'accept-encoding',
        'accept-language',
        'origin',
        'referer',
        'range',
        'if-none-match',
        'if-modified-since',
        'x-junk',
        'cookie',
        'idempotency-key',
        'authorization',
        'expect',
        'transfer-encoding-x',
      ),
      headerValue,
      { maxKeys: 5 },
    );
    await fc.assert(
      fc.asyncProperty(
        method,
        path,
        fc.option(contentType, { nil: undefined }),
        extraHeaders,
        body,
        async (m, p, type, extra, b) => {
          const headers: Record<string, string> = { ...extra };
          if (type !== undefined) headers['content-type'] = type;
          const withBody = m !== 'GET' && m !== 'HEAD';
          const res = await rawCall(m, p, headers, withBody ? b.raw : undefined);
          if (res.status >= 500) {
            throw new Error(
              `${m} ${p.slice(0, 200)} ${JSON.stringify(headers).slice(0, 300)} → ${res.status} ${res.text.slice(0, 300)}`,
            );
          }
          if (res.status >= 400 && m !== 'HEAD' && (res.contentType ?? '').includes('json')) {
            expect(JSON.parse(res.text)?.error?.code, `${m} ${p}`).toMatch(/^[A-Z_]+$/);
          }
        },
      ),
      { numRuns: 400 },
    );
    // Duplicate headers of the kinds the platform reads.
    for (const duplicated of [
      ['authorization', `Bearer ${adminToken}`, 'authorization', 'Bearer other'],
      ['content-type', 'application/json', 'content-type', 'text/plain'],
      ['idempotency-key', 'a', 'idempotency-key', 'b'],
      ['content-length', '2', 'content-length', '3'],
    ]) {
      const res = await rawCall('POST', '/api/v1/orders/lookup', undefined, '{}', duplicated);
      expect(res.status, duplicated.join(' ')).toBeLessThan(500);
    }
    // Headers beyond Node's limit are refused by the HTTP server (431), never a crash.
    const huge = await rawCall('GET', '/api/v1/rounds', { 'x-huge': 'h'.repeat(40_000) });
    expect(huge.status).toBeLessThan(500);
    expect((await api.get('/healthz')).status).toBe(200);
    expect((await api.get('/readyz')).status).toBe(200);
    expect((await api.get('/api/v1/rounds')).status).toBe(200);
  });
});

function decodeURIComponentSafe(x: string): string {
  try {
    return decodeURIComponent(x);
  } catch {
    return x;
  }
}

/**
 * A request sent as it is, with node:http (fetch would refuse odd methods, bad paths and
 * duplicate headers): `rawHeaders` is a flat [name, value, name, value, …] list.
 */
function rawCall(
  method: string,
  path: string,
  headers?: Record<string, string>,
  payload?: string,
  rawHeaders?: string[],
): Promise<{ status: number; text: string; contentType: string | undefined }> {
  const { hostname, port } = new URL(t.url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { hostname, port, method, path, headers: rawHeaders ?? headers, setHost: true, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            text: Buffer.concat(chunks).toString('utf8'),
            contentType: res.headers['content-type'],
          }),
        );
      },
    );
    // Node's client refuses some answers to odd requests that the server got right (an early
    // answer to OPTIONS with a chunked body); the server's health is checked afterwards.
    req.on('error', (error: NodeJS.ErrnoException) =>
      error.code?.startsWith('HPE_')
        ? resolve({ status: 0, text: '', contentType: undefined })
        : reject(error),
    );
    req.end(payload);
  });
}
