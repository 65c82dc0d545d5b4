import { afterAll, beforeAll } from 'vitest';
import { type RunningApp, startTestApp, type TestApp } from './app.js';
import { adminLogin } from './factories.js';
import { type Client, client } from './http.js';

/** The app of a file (or describe block) as `setUpTestApp` hands it out: started in beforeAll. */
export interface TestAppHandle extends RunningApp {
  /** An HTTP client of this app: usable at the top level, it reads the URL on each call. */
  readonly api: Client;
  /**
   * The operator's token: signed in on first use (at the platform clock of that moment) and
   * cached. Sessions lapse 24 idle hours of platform time later: after moving the clock that far,
   * sign in again (`adminLogin(t.api)`).
   */
  admin(): Promise<string>;
}

/**
 * The real app for the tests of a file or describe block (outline's `getTestServer()`): call it at
 * the top level; it registers the start (`beforeAll`, its own database) and the close
 * (`afterAll`) itself. Hooks registered after it run after the app has started. Files that start
 * and stop an app several times (restarts, crashes) use `startTestApp` instead.
 */
export function setUpTestApp(
  env: Record<string, string> = {},
  options: Parameters<typeof startTestApp>[1] = {},
): TestAppHandle {
  let app: TestApp | undefined;
  let adminToken: string | undefined;
  const running = (): TestApp => {
    if (!app) throw new Error('setUpTestApp: the app starts in beforeAll; use it inside hooks and tests');
    return app;
  };
  const api = client(() => running().url);
  beforeAll(async () => {
    app = await startTestApp(env, options);
  });
  afterAll(async () => {
    await app?.close();
    app = undefined;
    adminToken = undefined;
  });
  return {
    get url() {
      return running().url;
    },
    get platform() {
      return running().platform;
    },
    get deps() {
      return running().deps;
    },
    get sql() {
      return running().sql;
    },
    get databaseUrl() {
      return running().databaseUrl;
    },
    api,
    async admin() {
      adminToken ??= await adminLogin(api);
      return adminToken;
    },
  };
}
