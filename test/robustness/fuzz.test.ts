// Over 300 lines: one fuzzing harness over every route, with its generators and its path table.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { setUpTestApp } from '../support/fixture.js';
import { type RawAnswer, rawExchange, rawGet } from './raw-http.js';

/**
 * Hostile input (issue 6): generated bodies, headers and path parameters sent to every route of
 * the OpenAPI document. Whatever arrives, the answer is never a 5xx, every 4xx carries an error
 * code, and the server is healthy afterwards.
 */
const t = setUpTestApp();
const api = t.api;
let routes: { method: string; path: string }[] = [];
let adminToken = '';

beforeAll(async () => {
  adminToken = await t.admin();
  const doc = await api.get<{ paths: Record<string, Record<string, unknown>> }>('/docs/json');
  routes = Object.entries(doc.body.paths).flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((m) => ['get', 'post', 'put', 'delete', 'patch'].includes(m))
      .map((method) => ({ method: method.toUpperCase(), path })),
  );
});

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

/**
 * The first bytes of files that lie outside every served folder (the repository's own
 * package.json, README (one level above the API reference's static folder) and config, the
 * system's passwd): no answer may contain them.
 */
const outsideFiles = [
  new URL('../../package.json', import.meta.url),
  new URL('../../package-lock.json', import.meta.url),
  new URL('../../src/platform/config.ts', import.meta.url),
  new URL('../../README.md', import.meta.url),
  new URL('../../node_modules/@fastify/static/package.json', import.meta.url),
  new URL('file:///etc/passwd'),
].flatMap((file) => {
  try {
    return [{ file: file.pathname, head: readFileSync(file, 'utf8').slice(0, 60) }];
  } catch {
    return [];
  }
});

function expectSafeAnswer(res: RawAnswer, what: string): void {
  expect(res.status, `${what}: no answer`).toBeGreaterThan(0);
  expect(res.status, `${what} → ${res.status} ${res.body.slice(0, 200)}`).toBeLessThan(500);
  for (const { file, head } of outsideFiles) {
    expect(res.body.includes(head), `${what} answered the content of ${file}`).toBe(false);
  }
  if (res.status >= 400 && (res.headers['content-type'] ?? '').includes('json')) {
    expect(JSON.parse(res.body)?.error?.code, what).toMatch(/^[A-Z_]+$/);
  }
}

/** Runs `tasks` with at most `width` of them at once. */
async function inBatches<T>(items: T[], width: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await task(item);
      }
    }),
  );
}

describe('paths sent verbatim (no client normalisation)', () => {
  it('answers the reported static-file traversal with a 4xx in the API shape, not 500', async () => {
    for (const path of ['/docs/static/../../package.json', '/docs/static/%2e%2e/%2e%2e/package.json']) {
      const res = await rawGet(t.url, path);
      expectSafeAnswer(res, path);
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(JSON.parse(res.body).error.code, path).toMatch(/^(FORBIDDEN|NOT_FOUND|UNKNOWN_ROUTE)$/);
    }
  });

  it('never answers 5xx nor a file outside the served folders, whatever the traversal', async () => {
    const prefixes = ['/docs/static/', '/docs/', '/assets/', '/api/v1/', '/', '//', '/docs//static/'];
    const steps = [
      '../',
      '..%2f',
      '..%2F',
      '%2e%2e/',
      '%2E%2E/',
      '%2e%2e%2f',
      '.%2e/',
      '%2e./',
      '..\\',
      '..%5c',
      '%2e%2e%5c',
      '%252e%252e%252f',
      '....//',
      '..;/',
      './../',
      '%c0%ae%c0%ae/',
      '%c0%ae%c0%ae%c0%af',
      '..%c0%af',
      '..%c1%9c',
      '%e0%80%ae%e0%80%ae/',
      '%00../',
      '..%00/',
    ];
    const targets = [
      'package.json',
      'src/platform/config.ts',
      'src%2fplatform%2fconfig.ts',
      'etc/passwd',
      'package.json%00.css',
    ];
    const paths: (string | Buffer)[] = [];
    for (const prefix of prefixes) {
      for (const step of steps) {
        for (const depth of [1, 2, 4, 7]) {
          for (const target of targets) paths.push(`${prefix}${step.repeat(depth)}${target}`);
        }
      }
      for (const odd of [
        '%00',
        '%',
        '%zz',
        '%2e',
        '%2e%2e',
        '..',
        '.',
        '.env',
        '.git/HEAD',
        '%2egit/HEAD',
        'index.html%00',
        'reference.css%00.js',
        '\\..\\..\\package.json',
        '/..//..//package.json',
        '%2F..%2F..%2Fpackage.json',
        '%5c..%5c..%5cpackage.json',
        `${'%c0%80'.repeat(3)}`,
        '%ff%fe%fd',
        `${'a/'.repeat(200)}${'../'.repeat(210)}package.json`,
      ]) {
        paths.push(`${prefix}${odd}`);
      }
      // Overlong UTF-8 and other bytes above 0x7f, raw on the wire (not percent-encoded).
      for (const bytes of [
        [0xc0, 0xae, 0xc0, 0xae, 0x2f],
        [0xc0, 0xaf],
        [0xe0, 0x80, 0xae, 0xe0, 0x80, 0xae, 0x2f],
        [0xff, 0xfe],
        [0x2e, 0x2e, 0xc0, 0xaf],
      ]) {
        const step = Buffer.from(bytes);
        paths.push(Buffer.concat([Buffer.from(prefix), step, step, step, step, Buffer.from('package.json')]));
      }
    }
    // The absolute form of a request target, and the asterisk form.
    paths.push('http://localhost/docs/static/../../package.json', 'http://localhost/../../package.json', '*');
    expect(paths.length).toBeGreaterThan(3000);
    await inBatches(paths, 24, async (path) => {
      const shown = typeof path === 'string' ? path : path.toString('latin1');
      expectSafeAnswer(await rawGet(t.url, path), `GET ${shown.slice(0, 200)}`);
    });
    expect((await api.get('/healthz')).status).toBe(200);
  }, 120_000);

  it('keeps the status of a static file refusal (412, 416) with an error code, and still serves the file', async () => {
    const file = '/docs/static/reference.css';
    expect((await rawGet(t.url, file)).status).toBe(200);
    const range = await rawGet(t.url, file, { Range: 'bytes=999999999-' });
    expect(range.status).toBe(416);
    expect(JSON.parse(range.body).error.code).toBe('RANGE_NOT_SATISFIABLE');
    const ifMatch = await rawGet(t.url, file, { 'If-Match': '"not-this-one"' });
    expect(ifMatch.status).toBe(412);
    expect(JSON.parse(ifMatch.body).error.code).toBe('PRECONDITION_FAILED');
    const old = await rawGet(t.url, file, { 'If-Unmodified-Since': 'Thu, 01 Jan 1970 00:00:00 GMT' });
    expect(old.status).toBe(412);
    for (const res of [range, ifMatch, old]) expectSafeAnswer(res, file);
  });
});

describe('concurrent bursts of bad input', () => {
  /** A body that no route's schema accepts: broken JSON, a JSON non-object, wrong types, too large, not JSON. */
  const badBody = fc.oneof(
    fc.string({ maxLength: 80 }).map((s) => ({ raw: `{"${s.replace(/"/g, '')}`, type: 'application/json' })),
    fc
      .jsonValue({ maxDepth: 2 })
      .filter((v) => v === null || typeof v !== 'object' || Array.isArray(v))
      .map((v) => ({ raw: JSON.stringify(v) ?? 'null', type: 'application/json' })),
    fc
      .record({
        nationalId: fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 })),
        username: fc.dictionary(fc.string({ maxLength: 5 }), fc.integer()),
        phoneLast3: fc.oneof(fc.string({ maxLength: 2 }), fc.constant('12a'), fc.constant('1234')),
        cardNo: fc.array(fc.integer(), { maxLength: 3 }),
        adult: fc.constantFrom('many', -1, 1.5, '1e999'),
      })
      .map((v) => ({ raw: JSON.stringify(v), type: 'application/json' })),
    fc.nat({ max: 3 }).map((n) => ({ raw: `{"x":"${'x'.repeat(70_000 + n)}"}`, type: 'application/json' })),
    fc.string({ maxLength: 50 }).map((s) => ({ raw: s, type: 'text/plain' })),
    fc.constant({ raw: '{"a":1}', type: 'application/json; charset=latin1' }),
    fc.constant({ raw: '\u0000\u0001\u00ff', type: 'application/json' }),
  );
  const junk = fc.oneof(
    fc.constantFrom('..', '%2e%2e', '%00', '%', '%zz', '..%2f..%2fpackage.json', '%c0%ae', 'x'.repeat(600)),
    fc.string({ maxLength: 12 }).map((s) => encodeURIComponent(s).replace(/^\d*$/, 'x$&')),
  );
  const request = fc.oneof(
    badBody.map((b) => ({ method: 'POST', path: '/api/v1/orders/lookup', ...b })),
    badBody.map((b) => ({ method: 'POST', path: '/api/v1/admin/login', ...b })),
    badBody.map((b) => ({ method: 'POST', path: '/api/v1/auth/nhi-card/login', ...b })),
    fc.tuple(junk, badBody).map(([j, b]) => ({ method: 'PUT', path: `/api/v1/pharmacies/${j}/stock`, ...b })),
    junk.map((j) => ({ method: 'GET', path: `/api/v1/rounds/${j}/draw`, raw: '', type: '' })),
    fc
      .tuple(fc.constantFrom('../', '%2e%2e/', '..%2f', '..\\', '%c0%ae%c0%ae/'), fc.nat({ max: 6 }))
      .map(([step, n]) => ({
        method: 'GET',
        path: `/docs/static/${step.repeat(n + 1)}package.json`,
        raw: '',
        type: '',
      })),
  );

  it('answers hundreds of simultaneous bad requests with 4xx, never 5xx, and stays healthy', async () => {
    for (const seed of [1, 2, 3]) {
      const burst = fc.sample(request, { numRuns: 300, seed });
      const answers = await Promise.all(
        burst.map(async (r) => {
          const body = Buffer.from(r.raw, 'utf8');
          const head =
            `${r.method} ${r.path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n` +
            (r.type ? `Content-Type: ${r.type}\r\nContent-Length: ${body.length}\r\n` : '') +
            '\r\n';
          return {
            r,
            res: await rawExchange(t.url, Buffer.concat([Buffer.from(head, 'latin1'), body]), 30_000),
          };
        }),
      );
      for (const { r, res } of answers) {
        expectSafeAnswer(res, `${r.method} ${r.path.slice(0, 100)} ${r.raw.slice(0, 100)}`);
        expect(res.status, `${r.method} ${r.path.slice(0, 100)}`).toBeGreaterThanOrEqual(400);
      }
    }
    expect((await api.get('/healthz')).status).toBe(200);
    expect((await api.get('/api/v1/rounds')).status).toBe(200);
  }, 120_000);
});
