import { afterAll, beforeAll } from 'vitest';
import { ManualClock } from '../../src/platform/clock.js';
import { loadConfig } from '../../src/platform/config.js';
import { createSql } from '../../src/platform/db.js';
import type { Deps } from '../../src/platform/deps.js';
import { silentLogger } from '../../src/platform/logger.js';
import { vaultFor } from '../../src/platform/vault.js';
import { DEMO_EPOCH } from '../../src/server.js';
import { createTestDatabase } from './app.js';
import { ADMIN_PASSWORD } from './factories.js';

/** What `setUpTestDeps` hands out: the use cases' deps, and their manual clock to move. */
export interface TestDepsHandle {
  readonly deps: Deps;
  /** Sets the manual clock (in memory: no server shares it). */
  at(iso: string): void;
}

/**
 * The use cases' deps without HTTP (immich's medium tests): the real repositories on this file's
 * own database (cloned from the migrated template), a manual clock, the test configuration and
 * its vault. Call it at the top level: it registers its own `beforeAll` and `afterAll`.
 */
export function setUpTestDeps(env: Record<string, string> = {}): TestDepsHandle {
  let deps: Deps | undefined;
  let clock: ManualClock | undefined;
  beforeAll(async () => {
    const databaseUrl = await createTestDatabase();
    const config = loadConfig({
      CLOCK: 'manual',
      SIMULATORS: 'on',
      DEMO_DATA: 'off',
      ADMIN_PASSWORD,
      LOG_LEVEL: 'silent',
      ...env,
      DATABASE_URL: databaseUrl,
    });
    clock = new ManualClock(DEMO_EPOCH);
    deps = {
      sql: createSql(databaseUrl, { max: config.dbPoolMax }),
      clock,
      manualClock: clock,
      config,
      log: silentLogger,
      vault: vaultFor(config),
    };
  });
  afterAll(async () => {
    await deps?.sql.end({ timeout: 5 });
    deps = undefined;
  });
  const running = (): { deps: Deps; clock: ManualClock } => {
    if (!deps || !clock) throw new Error('setUpTestDeps: the deps are made in beforeAll');
    return { deps, clock };
  };
  return {
    get deps() {
      return running().deps;
    },
    at(iso) {
      running().clock.set(new Date(iso));
    },
  };
}
