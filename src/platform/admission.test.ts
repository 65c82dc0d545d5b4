import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/support/app.js';
import { client } from '../../test/support/http.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ MAX_IN_FLIGHT: '2' });
});
afterAll(() => t.close());

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
    expect(shed.body).toMatchObject({ error: { code: 'SERVICE_UNAVAILABLE' } });
    expect((await api.get('/healthz')).status).toBe(200);
    release();
    const done = await Promise.all(slow);
    expect(done.map((r) => r.status)).toEqual([200, 200]);
    expect((await api.get('/api/v1/rounds')).status).toBe(200);
    await blocker.end();
  });
});
