import type { FastifyServerOptions } from 'fastify';
import { buildAdapters } from './adapters.js';
import { ensureAdminAccount } from './admin/login-admin.js';
import { createNotifications } from './notifications/start-notifications.js';
import { buildApp } from './platform/app.js';
import type { App } from './platform/app-type.js';
import { type Clock, ManualClock, realClock } from './platform/clock.js';
import { assertSafeForProduction, type Config, isDemoMode } from './platform/config.js';
import { createSql, type Sql } from './platform/db.js';
import type { Deps } from './platform/deps.js';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './platform/embedded-db.js';
import { loggerOptions, silentLogger } from './platform/logger.js';
import { startMaintenance } from './platform/maintenance.js';
import { migrate } from './platform/migrate.js';
import { sealPlaintextOnce } from './platform/seal-personal-data.js';
import { vaultFor } from './platform/vault.js';
import { registerRoutes } from './routes.js';

export interface Platform {
  app: App;
  deps: Deps;
  /** Stops accepting requests, lets running ones finish, closes the pool and the embedded database. */
  close(): Promise<void>;
}

/** Where the manual clock starts on a new system: the opening of round 1 (SPEC §5). */
export const DEMO_EPOCH = new Date('2020-03-12T09:00:00+08:00');

export interface StartOptions {
  config: Config;
  /** Overrides `config.databaseUrl` (tests pass a per-file database). */
  databaseUrl?: string;
  logger?: FastifyServerOptions['logger'];
  /** Runs after migrations, before routes serve (demo data). */
  afterMigrate?: (deps: Deps) => Promise<void>;
}

export async function startPlatform(options: StartOptions): Promise<Platform> {
  const { config } = options;
  // Outside demo mode nothing starts on the demo's or weak secrets. The production entry
  // (`npm run serve`, src/main.ts) has already refused them whatever CLOCK and SIMULATORS say;
  // the demo (`npm start`) and the test harness run on them in demo mode.
  if (!isDemoMode(config)) assertSafeForProduction(config);
  const vault = vaultFor(config);
  let embedded: EmbeddedDatabase | undefined;
  let url = options.databaseUrl ?? config.databaseUrl;
  if (!url) {
    embedded = await startEmbeddedPostgres({ dataDir: config.dataDir });
    url = embedded.url;
  }
  let sql: Sql | undefined;
  try {
    sql = createSql(url, { max: config.dbPoolMax });
    await migrate(sql);
    // A database written before personal data was sealed is sealed once, before anything reads it.
    await sealPlaintextOnce(sql, vault);
    const manualClock = config.clockMode === 'manual' ? await ManualClock.load(sql, DEMO_EPOCH) : undefined;
    const clock: Clock = manualClock ?? realClock;
    await ensureAdminAccount(sql, config.adminPassword, clock.now());
    const deps: Deps = { sql, clock, manualClock, config, log: silentLogger, vault };
    // The composition root: every partner adapter is chosen here, once, from `config`
    // (src/adapters.ts), and every worker is started and stopped here (docs/ARCHITECTURE.md).
    const adapters = buildAdapters(deps);
    const notifications = createNotifications(deps, adapters);
    const app = await buildApp(deps, { logger: options.logger ?? loggerOptions(config.logLevel) });
    if (embedded) app.log.info({ embeddedPostgres: embedded.location }, 'embedded PostgreSQL');
    await registerRoutes(app, deps, { adapters, notifications });
    // The outbox delivery (and, with SIMULATORS=on and no SMTP_URL, the local SMTP sink) runs
    // once the app is ready (listen); the database watchdog is the app's own (platform/admission).
    app.addHook('onReady', async () => {
      await notifications.start();
    });
    if (options.afterMigrate) await options.afterMigrate(deps);
    // Prunes expired challenges, old rate-limit hits and idempotency records (docs/RELIABILITY.md).
    const maintenance = startMaintenance(deps, config.maintenanceIntervalMs);
    const db = sql;
    return {
      app,
      deps,
      // Workers stop before the pool ends: maintenance first, then the app (its running requests
      // finish and its watchdog stops), then the outbox delivery, then the pool.
      close: async () => {
        await maintenance.stop();
        await app.close();
        await notifications.stop();
        await db.end({ timeout: 5 });
        await embedded?.stop();
      },
    };
  } catch (error) {
    await sql?.end({ timeout: 1 });
    await embedded?.stop();
    throw error;
  }
}
