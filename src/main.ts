import { loadDemoData } from './demo/load-demo-data.js';
import { assertSafeForProduction, type Config, ConfigError, loadConfig } from './platform/config.js';
import { surviveDriverSocketRace } from './platform/db.js';
import { EmbeddedDatabaseError } from './platform/embedded-db.js';
import { MigrationEditedError } from './platform/migrate.js';
import { startPlatform } from './server.js';

/**
 * `npm start` runs this with `--demo`: the demo turns on CLOCK=manual, SIMULATORS=on and
 * DEMO_DATA=on unless the environment says otherwise. `npm run serve` (production) does not, and
 * demands real secrets whatever SIMULATORS and CLOCK say (docs/SECURITY.md "Configuration and
 * production start").
 */
const demo = process.argv.includes('--demo');
if (demo) {
  process.env.CLOCK ??= 'manual';
  process.env.SIMULATORS ??= 'on';
  process.env.DEMO_DATA ??= 'on';
}
let config: Config;
try {
  config = loadConfig(process.env);
  if (!demo) assertSafeForProduction(config);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  // One line naming the variable and what is allowed, no stack trace: an operator's typo, not a bug.
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}

// DEMO_DATA=on: the demo data set (docs/DEMO.md), loaded once into an empty system; DEMO_SEED varies it.
const platform = await startPlatform({
  config,
  afterMigrate: config.demoData
    ? async (deps) => {
        await loadDemoData(deps, { seed: config.demoSeed });
      }
    : undefined,
}).catch((error: unknown) => {
  if (!(error instanceof MigrationEditedError || error instanceof EmbeddedDatabaseError)) throw error;
  // One line naming the edited migration or what keeps the embedded database from starting,
  // and how to fix it; no stack trace: an operator's fix, not a bug.
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
const { app } = platform;
surviveDriverSocketRace((failure) => app.log.warn({ failure }, 'database driver'));

let closing = false;
async function shutdown(signal: string): Promise<void> {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(1), 15_000);
  force.unref();
  try {
    await platform.close();
    process.exit(0);
  } catch (error) {
    app.log.error({ err: error }, 'shutdown failed');
    process.exit(1);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

await app.listen({ port: config.port, host: config.host }).catch(async (error: unknown) => {
  const code = (error as { code?: unknown }).code;
  if (code !== 'EADDRINUSE' && code !== 'EACCES' && code !== 'EADDRNOTAVAIL') throw error;
  // One line, no stack trace: another server holds the port, or the address is not this machine's.
  process.stderr.write(
    `cannot listen on ${config.host}:${config.port} (${code}): stop what holds it, or set PORT / HOST\n`,
  );
  await platform.close();
  process.exit(1);
});
app.log.info(
  { port: config.port, clock: config.clockMode, simulators: config.simulators, demoData: config.demoData },
  'serving',
);
