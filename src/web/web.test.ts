import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { setUpTestApp } from '../../test/support/fixture.js';
import { VERIFY_PATH } from '../notifications/messages.js';

describe('web UI served by the API process', () => {
  // The built UI the app serves (its WEB_DIR), written before the app starts.
  const built = mkdtempSync(path.join(os.tmpdir(), 'web-built-'));
  mkdirSync(path.join(built, 'assets'));
  writeFileSync(
    path.join(built, 'index.html'),
    '<!doctype html><title>app shell</title><div id="root"></div>',
  );
  writeFileSync(path.join(built, 'assets', 'index-abc123.js'), 'console.log("app");');
  const empty = mkdtempSync(path.join(os.tmpdir(), 'web-empty-'));
  const t = setUpTestApp({ WEB_DIR: built });
  const api = t.api;

  afterAll(() => {
    rmSync(built, { recursive: true, force: true });
    rmSync(empty, { recursive: true, force: true });
  });

  it('serves the app shell at / and for every client-side route, never cached', async () => {
    for (const route of [
      '/',
      '/emask/rounds',
      '/admin/stats',
      '/open-data?city=%E8%87%BA%E5%8C%97%E5%B8%82',
      // The page every e-mail and SMS links for checking its reference.
      VERIFY_PATH,
    ]) {
      const res = await api.get(route);
      expect(res.status, route).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(res.text).toContain('app shell');
      expect(res.headers.get('cache-control')).toBe('no-cache');
    }
  });

  it('serves hashed assets with a long immutable cache', async () => {
    const res = await api.get('/assets/index-abc123.js');
    expect(res.status).toBe(200);
    expect(res.text).toContain('console.log');
    expect(res.headers.get('content-type')).toContain('javascript');
    expect(res.headers.get('cache-control')).toContain('immutable');
  });

  it('keeps unknown API paths and missing assets as JSON UNKNOWN_ROUTE errors', async () => {
    for (const route of ['/api/v1/nothing-here', '/api', '/assets/missing.js', '/favicon.ico']) {
      const res = await api.get(route);
      expect(res.status, route).toBe(404);
      expect(res.headers.get('content-type')).toContain('application/json');
      expect(res.body).toMatchObject({ error: { code: 'UNKNOWN_ROUTE' } });
    }
    const post = await api.post('/api/v1/nothing-here', {});
    expect(post.status).toBe(404);
    expect(post.body).toMatchObject({ error: { code: 'UNKNOWN_ROUTE' } });
    const malformed = await api.get('/bad%E0%A4%A');
    expect(malformed.status).toBeLessThan(500);
    expect(malformed.headers.get('content-type')).toContain('application/json');
    // API routes still answer as before.
    expect((await api.get('/api/v1/rounds')).status).toBe(200);
  });

  it('never serves files outside the build', async () => {
    for (const route of ['/..%2f..%2fpackage.json', '/assets/..%2f..%2f..%2fpackage.json', '/.env']) {
      const res = await api.get(route);
      expect(res.text, route).not.toContain('"dependencies"');
    }
  });

  it('without a build, still serves the API and a placeholder page', async () => {
    // WEB_DIR is read once into the configuration; the UI's folder is looked up per request.
    t.deps.config.webDir = empty;
    try {
      const page = await api.get('/');
      expect(page.status).toBe(200);
      expect(page.text).toContain('npm run build:web');
      expect((await api.get('/emask')).text).toContain('npm run build:web');
      expect((await api.get('/api/v1/rounds')).status).toBe(200);
      expect((await api.get('/api/v1/nothing')).status).toBe(404);
    } finally {
      t.deps.config.webDir = built;
    }
  });
});
