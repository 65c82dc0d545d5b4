import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { stall } from '../../test/robustness/raw-http.js';
import { setUpTestApp } from '../../test/support/fixture.js';
import { client } from '../../test/support/http.js';
import { receiveTimeoutMs, requestBudgetMs } from './admission.js';

const t = setUpTestApp({ MAX_IN_FLIGHT: '2' });

/** Holds an exclusive lock on the rounds table, so requests that read it stay in flight. */
async function lockRounds(url: string): Promise<() => Promise<void>> {
  const blocker = postgres(url, { max: 1, onnotice: () => undefined });
  let release: () => void = () => undefined;
  const held = new Promise<void>((r) => {
    release = r;
  });
  let done: Promise<unknown> = Promise.resolve();
  await new Promise<void>((ready) => {
    done = blocker.begin(async (tx) => {
      await tx`lock table rounds in access exclusive mode`;
      ready();
      await held;
    });
  });
  return async () => {
    release();
    await done;
    await blocker.end();
  };
}

const partialLookup = (body: string) =>
  'POST /api/v1/orders/lookup HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\n' +
  `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`;

describe('admission control', () => {
  it('sheds requests beyond the in-flight limit with a fast 503 + Retry-After, keeps health reserved, and recovers', async () => {
    const api = client(t.url);
    // Hold the rounds table so requests that read it stay in flight.
    const blocker = postgres(t.databaseUrl, { max: 1 });
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => {
      release = r;
    });
    const locked = new Promise<void>((ready) => {
      void blocker.begin(async (tx) => {
        await tx`lock table rounds in access exclusive mode`;
        ready();
        await held;
      });
    });
    await locked;
    const slow = [api.get('/api/v1/rounds'), api.get('/api/v1/rounds')];
    await new Promise((r) => setTimeout(r, 200));
    const shed = await api.get('/api/v1/rounds');
    expect(shed.status).toBe(503);
    expect(shed.headers.get('retry-after')).toBe('1');
    expect(shed.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(shed.body).toMatchObject({ error: { code: 'SERVICE_UNAVAILABLE' } });
    expect((await api.get('/healthz')).status).toBe(200);
    release();
    const done = await Promise.all(slow);
    expect(done.map((r) => r.status)).toEqual([200, 200]);
    expect((await api.get('/api/v1/rounds')).status).toBe(200);
    await blocker.end();
  });

  it('holds no place for a request whose body is still arriving', async () => {
    const api = client(t.url);
    const body = JSON.stringify({ nationalId: 'A123456789', phoneLast3: '123' });
    const stalled = await Promise.all(Array.from({ length: 4 }, () => stall(t.url, partialLookup(body))));
    try {
      await new Promise((r) => setTimeout(r, 200));
      const reads = await Promise.all([api.get('/api/v1/rounds'), api.get('/api/v1/rounds')]);
      expect(reads.map((r) => r.status)).toEqual([200, 200]);
    } finally {
      for (const s of stalled) s.destroy();
    }
  });

  it('checks the limit again when the body has arrived: a body completed while the places are taken is shed', async () => {
    const api = client(t.url);
    const body = JSON.stringify({ nationalId: 'A123456789', phoneLast3: '123' });
    // Admitted on its headers while places were free, then its body waits.
    const late = await stall(t.url, partialLookup(body));
    const unlock = await lockRounds(t.databaseUrl);
    let slow: Promise<{ status: number }[]> = Promise.resolve([]);
    try {
      slow = Promise.all([api.get('/api/v1/rounds'), api.get('/api/v1/rounds')]);
      await new Promise((r) => setTimeout(r, 200));
      late.send(body.slice(10));
      const { received } = await late.closed;
      expect(received).toMatch(/^HTTP\/1\.1 503 /);
      expect(received).toMatch(/retry-after: 1/i);
      expect(received).toContain('SERVICE_UNAVAILABLE');
    } finally {
      late.destroy();
      await unlock();
    }
    expect((await slow).map((r) => r.status)).toEqual([200, 200]);
    const lookup = await api.post('/api/v1/orders/lookup', JSON.parse(body));
    expect(lookup.status).toBe(200);
  });

  it('gives every place back when clients hang up during the body, right after it, or while waiting', async () => {
    const api = client(t.url);
    const body = JSON.stringify({ nationalId: 'A123456789', phoneLast3: '123' });
    const head = partialLookup(body).slice(0, -10);
    for (let i = 0; i < 30; i++) {
      const s = await stall(t.url, i % 3 === 0 ? `${head}${body.slice(0, 5)}` : `${head}${body}`);
      if (i % 3 === 2) await new Promise((r) => setTimeout(r, 5));
      s.destroy();
    }
    await new Promise((r) => setTimeout(r, 300));
    const reads = await Promise.all([api.get('/api/v1/rounds'), api.get('/api/v1/rounds')]);
    expect(reads.map((r) => r.status)).toEqual([200, 200]);
  });

  it("bounds every request: the receive timeout on every route, a deadline on operators' calls too", () => {
    expect(t.platform.app.server.requestTimeout).toBe(5_000);
    expect(t.platform.app.server.headersTimeout).toBe(5_000);
    expect(receiveTimeoutMs(30_000)).toBe(5_000);
    expect(receiveTimeoutMs(2_000)).toBe(2_000);
    expect(receiveTimeoutMs(0)).toBe(5_000);
    expect(requestBudgetMs('/api/v1/rounds', 30_000)).toBe(30_000);
    // A national draw runs tens of seconds: operators get longer, but not forever.
    const admin = requestBudgetMs('/api/v1/admin/rounds/1/draw', 30_000);
    expect(admin).toBeGreaterThanOrEqual(120_000);
    expect(admin).toBeLessThanOrEqual(600_000);
    expect(requestBudgetMs('/api/v1/admin/rounds/1/draw', 0)).toBe(0);
  });
});
