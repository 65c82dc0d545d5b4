import { performance } from 'node:perf_hooks';
import postgres from 'postgres';
import { describe, expect, it } from 'vitest';
import { adminLogin } from '../support/factories.js';
import { setUpTestApp } from '../support/fixture.js';
import { type Stalled, stall as stallOn } from './raw-http.js';

/**
 * Slow and half-sent requests (slowloris, slow POST): a client that sends its headers, or part
 * of its body, and then stalls holds no place in admission control, and the server closes its
 * socket a few seconds later (the receive timeout, src/platform/app.ts), on every route.
 */
const MAX_IN_FLIGHT = 8;
/** The receive timeout (5 s) plus Node's check interval (1 s), plus slack for a busy machine. */
const CUT_WITHIN_MS = 9_000;

const t = setUpTestApp({ MAX_IN_FLIGHT: String(MAX_IN_FLIGHT) });
const api = t.api;
const stall = (bytes: string) => stallOn(t.url, bytes);

const head = (path: string, contentLength: number) =>
  `POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${contentLength}\r\n\r\n`;

/** Rejects when `promise` has not settled within `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
    }),
  ]);
}

describe('slow and half-sent requests', () => {
  it('hold no admission place: the public API answers while 2 × MAX_IN_FLIGHT bodies stall, and the server cuts them off within seconds with 408', async () => {
    const stalled: Stalled[] = [];
    try {
      for (let i = 0; i < MAX_IN_FLIGHT; i++) {
        // As measured: operator login headers with Content-Length 100 and one byte of body.
        stalled.push(await stall(`${head('/api/v1/admin/login', 100)}{`));
        stalled.push(await stall(`${head('/api/v1/orders/lookup', 60)}{"nationalId":"A1`));
      }
      // Give the server time to parse every set of headers and run its hooks.
      await new Promise((r) => setTimeout(r, 300));
      const heldAt = performance.now();

      // MAX_IN_FLIGHT public calls at once (every place the limit has), and a full-bodied
      // look-up, all served.
      const reads = await Promise.all(Array.from({ length: MAX_IN_FLIGHT }, () => api.get('/api/v1/rounds')));
      expect(reads.map((r) => r.status)).toEqual(reads.map(() => 200));
      const lookup = await api.post('/api/v1/orders/lookup', { nationalId: 'A123456789', phoneLast3: '123' });
      expect(lookup.status, lookup.text).toBe(200);
      expect(lookup.body).toEqual({ orders: [] });
      // An operator whose body arrives signs in too.
      expect(typeof (await adminLogin(api))).toBe('string');
      // All of that happened while the stalled requests were still held.
      expect(performance.now() - heldAt).toBeLessThan(4_000);

      const outcomes = await within(
        Promise.all(stalled.map((s) => s.closed)),
        CUT_WITHIN_MS,
        'stalled sockets closed by the server',
      );
      for (const { afterMs, received } of outcomes) {
        expect(afterMs).toBeLessThan(CUT_WITHIN_MS);
        expect(received).toMatch(/^HTTP\/1\.1 408 /);
        expect(JSON.parse(received.slice(received.indexOf('\r\n\r\n') + 4))).toMatchObject({
          error: { code: 'REQUEST_TIMEOUT' },
        });
      }
    } finally {
      for (const s of stalled) s.destroy();
    }
    expect((await api.get('/api/v1/rounds')).status).toBe(200);
  }, 30_000);

  it('cuts off unfinished headers and silent connections as well, while a long-running call whose body arrived is not cut', async () => {
    const token = await adminLogin(api);
    // The operator's call is held by a lock for longer than the receive timeout.
    const blocker = postgres(t.databaseUrl, { max: 1, onnotice: () => undefined });
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => {
      release = r;
    });
    let locking: Promise<unknown> = Promise.resolve();
    await new Promise<void>((ready) => {
      locking = blocker.begin(async (tx) => {
        await tx`lock table airport_counters in access exclusive mode`;
        ready();
        await held;
      });
    });
    const stalled: Stalled[] = [];
    try {
      const startedAt = performance.now();
      const slowCall = api.post('/api/v1/admin/airport-counters', { name: 'Slow but sent' }, { token });
      let settled = false;
      void slowCall.finally(() => {
        settled = true;
      });
      stalled.push(
        await stall('GET /api/v1/rounds HTTP/1.1\r\nHost: local'),
        await stall('POST /api/v1/admin/rounds/1/draw HTTP/1.1\r\nHost: localhost\r\nX-Slow: '),
        await stall(''),
        await stall(`${head('/api/v1/admin/rounds/1/draw', 40)}{"seed":`),
      );
      const outcomes = await within(
        Promise.all(stalled.map((s) => s.closed)),
        CUT_WITHIN_MS,
        'stalled sockets closed by the server',
      );
      for (const { afterMs } of outcomes) expect(afterMs).toBeLessThan(CUT_WITHIN_MS);
      // The half-sent body got its 408; the others at least a closed socket.
      expect(outcomes[3]?.received).toMatch(/^HTTP\/1\.1 408 /);
      // Well past the receive timeout, the operator's call is still waiting for its lock, not cut.
      await new Promise((r) => setTimeout(r, Math.max(0, 6_500 - (performance.now() - startedAt))));
      expect(settled).toBe(false);
      release();
      const created = await slowCall;
      expect(created.status, created.text).toBe(201);
    } finally {
      release();
      for (const s of stalled) s.destroy();
      await locking;
      await blocker.end();
    }
  }, 30_000);
});
