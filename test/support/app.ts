import { randomBytes } from 'node:crypto';
import type { Writable } from 'node:stream';
import { inject } from 'vitest';
import { loadConfig } from '../../src/platform/config.js';
import { createSql, type Sql } from '../../src/platform/db.js';
import type { Deps } from '../../src/platform/deps.js';
import { loggerOptions } from '../../src/platform/logger.js';
import { type Platform, startPlatform } from '../../src/server.js';

export interface TestApp {
  /** Base URL of the running server, e.g. http://127.0.0.1:41234 */
  url: string;
  platform: Platform;
  deps: Deps;
  sql: Sql;
  /** The database URL of this file's own database. */
  databaseUrl: string;
  close(): Promise<void>;
}

/** A fresh database cloned from the migrated template: each test file gets its own. */
export async function createTestDatabase(): Promise<string> {
  const serverUrl = inject('serverUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = createSql(serverUrl, { max: 1 });
  try {
    await admin.unsafe(`create database ${name} template ${inject('templateDb')}`);
  } finally {
    await admin.end();
  }
  return serverUrl.replace(/\/[^/]*$/, `/${name}`);
}

/**
 * The real app on a real PostgreSQL, listening on a free port, configured as the acceptance
 * suite runs it: CLOCK=manual, SIMULATORS=on, no demo data.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  options: {
    /** Where the app's log lines go (one JSON object per line), at `LOG_LEVEL` (default trace here). */
    logStream?: Writable;
  } = {},
): Promise<TestApp> {
  const databaseUrl = env.DATABASE_URL ?? (await createTestDatabase());
  const config = loadConfig({
    CLOCK: 'manual',
    SIMULATORS: 'on',
    DEMO_DATA: 'off',
    ADMIN_PASSWORD: 'test-admin-password',
    LOG_LEVEL: 'silent',
    ...env,
    DATABASE_URL: databaseUrl,
  });
  const logger = options.logStream
    ? {
        ...(loggerOptions(env.LOG_LEVEL ?? 'trace') as Record<string, unknown>),
        stream: options.logStream,
      }
    : undefined;
  const platform = await startPlatform({ config, ...(logger ? { logger } : {}) });
  await platform.app.listen({ port: 0, host: '127.0.0.1' });
  const address = platform.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    platform,
    deps: platform.deps,
    sql: platform.deps.sql,
    databaseUrl,
    close: () => platform.close(),
  };
}

/** What a test sees of a running app. */
export type RunningApp = Omit<TestApp, 'close'>;
