/**
 * Key rotation for personal data at rest (docs/SECURITY.md "Personal data at rest").
 *
 *   DATA_ENCRYPTION_KEYS=<new>,<old> BLIND_INDEX_KEY=… npm run rotate-keys
 *   DATA_ENCRYPTION_KEYS=<new>,<old> BLIND_INDEX_KEY=<new> npm run rotate-keys -- --reindex
 *
 * Re-seals every national ID, resident certificate number, name, phone and e-mail that is not
 * sealed under the current (first) data key, in batches, while the service keeps running (each
 * batch only changes rows still holding what it read). With `--reindex` it also recomputes the
 * blind indexes under the BLIND_INDEX_KEY given: look-ups by ID only find re-indexed rows, so run
 * that one in a maintenance window with the API stopped. Afterwards the retired key can leave
 * DATA_ENCRYPTION_KEYS. Uses DATABASE_URL, or the embedded database under DATA_DIR.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/platform/config.js';
import { createSql } from '../src/platform/db.js';
import { migrate } from '../src/platform/migrate.js';
import { resealPersonalData } from '../src/platform/seal-personal-data.js';
import { vaultFor } from '../src/platform/vault.js';
import { resolveDatabase } from './backup.js';

const { values } = parseArgs({ options: { reindex: { type: 'boolean', default: false } } });
const vault = vaultFor(loadConfig());
const database = await resolveDatabase();
const sql = createSql(database.url, { max: 2 });
try {
  await migrate(sql);
  const started = performance.now();
  const report = await resealPersonalData(sql, vault, { reindex: values.reindex ?? false });
  console.log(`current data key: ${vault.currentKeyId}`);
  for (const [table, rows] of Object.entries(report.changed)) console.log(`  ${table}: ${rows} rows changed`);
  console.log(
    `  plaintext sealed ${report.sealedPlaintext}, re-sealed ${report.resealed}, indexes computed ${report.reindexed}` +
      ` in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
} finally {
  await sql.end({ timeout: 5 });
  await database.release();
}
