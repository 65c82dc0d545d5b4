/**
 * Restores a backup made by scripts/backup.ts (docs/RELIABILITY.md "Backup and restore").
 *
 *   npm run restore -- <backup folder> [--force]
 *
 * Into DATABASE_URL, or the embedded database under DATA_DIR (stop the server first: the
 * restore replaces every table's rows). The target is migrated first; it must know every
 * migration of the backup. A target that already holds people, orders or purchases is refused
 * unless --force is given. All tables are emptied and loaded in one transaction (COPY … FROM
 * STDIN in dependency order) and every sequence is set back to where it stood, so new rows get
 * fresh ids. Either the whole backup is in, or nothing changed.
 */
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { createSql } from '../src/platform/db.js';
import { migrate } from '../src/platform/migrate.js';
import { BACKUP_FORMAT, MANIFEST, type Manifest, resolveDatabase } from './backup.js';

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

export async function readManifest(dir: string): Promise<Manifest> {
  const manifest = JSON.parse(await fs.readFile(path.join(dir, MANIFEST), 'utf8')) as Manifest;
  if (manifest.format !== BACKUP_FORMAT) throw new Error(`${dir} is not a backup of format ${BACKUP_FORMAT}`);
  return manifest;
}

export async function restoreDatabase(
  url: string,
  dir: string,
  options: { force?: boolean } = {},
): Promise<{ tables: number; rows: number }> {
  const manifest = await readManifest(dir);
  const setup = createSql(url, { max: 1 });
  try {
    await migrate(setup);
    const applied = new Set(
      (await setup<{ name: string }[]>`select name from schema_migrations`).map((r) => r.name),
    );
    const unknown = manifest.migrations.filter((m) => !applied.has(m));
    if (unknown.length > 0) {
      throw new Error(`the backup needs migrations this version does not have: ${unknown.join(', ')}`);
    }
    if (!options.force) {
      const [row] = await setup<{ n: number }[]>`
        select (select count(*) from persons) + (select count(*) from orders)
             + (select count(*) from purchases) as n`;
      if (Number(row?.n ?? 0) > 0) {
        throw new Error(
          'the target database holds data: restore into a new one, or pass --force to replace it',
        );
      }
    }
  } finally {
    await setup.end();
  }

  const sql = postgres(url, { max: 1, onnotice: () => undefined });
  let rows = 0;
  try {
    await sql.begin(async (tx) => {
      // The backup's tables are replaced whole (rows a migration seeded included); TRUNCATE fires
      // no row triggers, so the append-only audit log is replaced, not edited.
      const targetTables = manifest.tables.map((t) => t.name).filter((t) => t !== 'schema_migrations');
      if (targetTables.length > 0) {
        await tx.unsafe(
          `truncate ${targetTables.map((t) => `public.${quote(t)}`).join(', ')} restart identity cascade`,
        );
      }
      for (const table of manifest.tables) {
        if (table.name === 'schema_migrations') continue;
        const list = table.columns.map(quote).join(', ');
        const writable = await tx.unsafe(`copy public.${quote(table.name)} (${list}) from stdin`).writable();
        await pipeline(createReadStream(path.join(dir, table.file)), writable);
        const [count] = await tx<{ n: number }[]>`select count(*)::int as n from ${tx(table.name)}`;
        if ((count?.n ?? -1) !== table.rows) {
          throw new Error(`${table.name}: ${count?.n} rows restored, the backup has ${table.rows}`);
        }
        rows += table.rows;
      }
      for (const s of manifest.sequences) {
        await tx`select setval(${`public.${quote(s.name)}`}::regclass, ${s.lastValue}, ${s.isCalled})`;
      }
    });
  } finally {
    await sql.end();
  }
  return { tables: manifest.tables.length, rows };
}

async function main(argv: string[]): Promise<number> {
  const dir = argv.find((a) => !a.startsWith('--'));
  if (!dir) {
    console.error('usage: npm run restore -- <backup folder> [--force]');
    return 2;
  }
  await readManifest(path.resolve(dir));
  const db = await resolveDatabase(process.env, { create: true });
  try {
    const result = await restoreDatabase(db.url, path.resolve(dir), { force: argv.includes('--force') });
    console.log(`restored ${result.rows} rows into ${result.tables} tables from ${dir}`);
    return 0;
  } finally {
    await db.release();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`restore failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
