/**
 * National-scale data for benchmarks, straight into PostgreSQL with COPY (docs/DEMO.md).
 *
 *   npx tsx scripts/generate-national.ts --people 23600000 --pharmacies 6000 --stores 10000 \
 *     [--database-url URL | --data-dir DIR] [--seed S] [--key-pairs 8] [--keys-file FILE]
 *
 * Without --database-url or --data-dir it uses DATABASE_URL, else the embedded database under
 * DATA_DIR (default ./data), the one `npm start` would use. Migrations are applied first. The
 * card key pairs and the partner keys are written to --keys-file (default DIR/national-keys.json
 * or ./national-keys.json) for the load generator.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generateNational } from '../src/demo/national.js';
import { loadConfig } from '../src/platform/config.js';
import { createSql } from '../src/platform/db.js';
import { type EmbeddedDatabase, startEmbeddedPostgres } from '../src/platform/embedded-db.js';
import { migrate } from '../src/platform/migrate.js';
import { vaultFor } from '../src/platform/vault.js';

const { values } = parseArgs({
  options: {
    people: { type: 'string', default: '23600000' },
    pharmacies: { type: 'string', default: '6000' },
    stores: { type: 'string', default: '10000' },
    'database-url': { type: 'string' },
    'data-dir': { type: 'string' },
    seed: { type: 'string' },
    'key-pairs': { type: 'string', default: '8' },
    'keys-file': { type: 'string' },
  },
});

function count(name: string, text: string | undefined): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a whole number, got "${text}"`);
  return n;
}

const people = count('people', values.people);
const pharmacies = count('pharmacies', values.pharmacies);
const stores = count('stores', values.stores);
const keyPairs = count('key-pairs', values['key-pairs']);

// DATABASE_URL, DATA_DIR and the keys as the server reads them (src/platform/config.ts).
const config = loadConfig();
let embedded: EmbeddedDatabase | undefined;
let url = values['database-url'] ?? (values['data-dir'] ? undefined : config.databaseUrl);
const dataDir = values['data-dir'] ? path.resolve(values['data-dir']) : config.dataDir;
if (!url) {
  console.log(`starting the embedded PostgreSQL under ${dataDir}`);
  embedded = await startEmbeddedPostgres({ dataDir });
  url = embedded.url;
}
const stop = async () => {
  await embedded?.stop();
};
process.on('SIGINT', () => void stop().finally(() => process.exit(130)));

try {
  const sql = createSql(url, { max: 1 });
  try {
    await migrate(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
  console.log(`generating ${people} people, ${pharmacies} pharmacies, ${stores} stores`);
  const report = await generateNational({
    databaseUrl: url,
    people,
    pharmacies,
    stores,
    seed: values.seed,
    keyPairs: Math.max(1, keyPairs),
    // Sealed with this environment's DATA_ENCRYPTION_KEYS / BLIND_INDEX_KEY: start the server with the same.
    vault: vaultFor(config),
    log: (line) => console.log(line),
  });
  const keysFile = path.resolve(
    values['keys-file'] ?? (embedded ? path.join(dataDir, 'national-keys.json') : 'national-keys.json'),
  );
  await fs.writeFile(keysFile, `${JSON.stringify(report.keys, null, 1)}\n`, { mode: 0o600 });
  console.log(`card key pairs and partner keys written to ${keysFile}`);
} finally {
  await stop();
}
