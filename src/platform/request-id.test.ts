import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { setUpTestApp } from '../../test/support/fixture.js';

const t = setUpTestApp();

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const get = async (url: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${t.url}${url}`, { headers });
  return { status: res.status, id: res.headers.get('x-request-id'), body: await res.text() };
};

/** A request with header bytes that fetch refuses to send (CR, control characters), over a socket. */
const rawGet = (url: string, headerLine: string) =>
  new Promise<{ status: number; id: string | undefined; text: string }>((resolve, reject) => {
    const { hostname, port } = new URL(t.url);
    const socket = connect(Number(port), hostname, () => {
      socket.write(`GET ${url} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${headerLine}\r\n\r\n`, 'latin1');
    });
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
    });
    socket.on('error', reject);
    socket.on('end', () => {
      const id = /\r\nx-request-id: ([^\r\n]*)\r\n/i.exec(text)?.[1];
      resolve({ status: Number(text.slice(9, 12)), id, text });
    });
  });

describe('request ids', () => {
  it('gives every answer a fresh UUIDv7 in X-Request-Id, different for two requests', async () => {
    const [a, b, missing] = await Promise.all([
      get('/healthz'),
      get('/healthz'),
      get('/api/v1/nothing-here'),
    ]);
    expect(a.id).toMatch(UUID_V7);
    expect(b.id).toMatch(UUID_V7);
    expect(a.id).not.toBe(b.id);
    expect(missing.status).toBe(404);
    expect(missing.id).toMatch(UUID_V7);
    for (const undecodable of ['/api/v1/%', '/api/v1/rounds/%E0%A4%A', '/api/v1/stores/%ZZ']) {
      const res = await get(undecodable);
      expect(res.id, undecodable).toMatch(UUID_V7);
    }
  });

  it('uses a sane incoming X-Request-Id as its own', async () => {
    const res = await get('/healthz', { 'x-request-id': 'edge-1:abc.DEF_9' });
    expect(res.id).toBe('edge-1:abc.DEF_9');
  });

  it('replaces an incoming id that is too long, has spaces or other bytes', async () => {
    for (const insane of ['a'.repeat(65), 'two words', 'semi;colon', 'ünïcode', '']) {
      const res = await get('/healthz', { 'x-request-id': insane });
      expect(res.id, insane).toMatch(UUID_V7);
    }
    // Node's parser may refuse such a request outright (400); answered or not, the bytes never return.
    for (const line of [
      'X-Request-Id: abc\rSet-Cookie: x=1',
      'X-Request-Id: abc\x01def',
      'X-Request-Id: abc\x7f',
    ]) {
      const res = await rawGet('/healthz', line);
      expect(res.status, JSON.stringify(line)).toBeGreaterThan(0);
      if (res.status < 400) expect(res.id, JSON.stringify(line)).toMatch(UUID_V7);
      expect(res.text).not.toContain('abc');
    }
  });

  it("reports a 500's correlationId as the request's id, the caller's when sane", async () => {
    // A table gone from under the app (last test of this file): an unhandled database error.
    await t.sql`alter table rounds rename to rounds_gone`;
    const sane = await get('/api/v1/rounds', { 'x-request-id': 'corr-42' });
    expect(sane.status).toBe(500);
    expect(sane.id).toBe('corr-42');
    expect(JSON.parse(sane.body).error.correlationId).toBe('corr-42');
    const fresh = await get('/api/v1/rounds', { 'x-request-id': 'bad id\twith tab' });
    expect(fresh.status).toBe(500);
    expect(fresh.id).toMatch(UUID_V7);
    expect(JSON.parse(fresh.body).error.correlationId).toBe(fresh.id);
  });
});
