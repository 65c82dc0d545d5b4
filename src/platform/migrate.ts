import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Sql } from './db.js';
import { connectionGone, transactionOn } from './reserved-transaction.js';

/**
 * `migrations/` at the project root (and in it `functions/`), found from here whether running from
 * src/ (tsx) or from dist/src/ (compiled): nothing is copied into dist.
 */
function findMigrationsDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'migrations');
    if (existsSync(path.join(candidate, '0001_core.sql'))) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error('migrations/ not found');
}

export const MIGRATIONS_DIR = findMigrationsDir();

/**
 * The sub-directory of a migrations directory that holds the CURRENT body of every SQL function
 * (migrations/functions/README.md): `*.sql` files of `create or replace function` statements,
 * re-applied on every start. Not numbered migrations: no checksum, no `schema_migrations` row.
 */
export const FUNCTIONS_SUBDIR = 'functions';

/** The function files of a migrations directory, in name order; none when it has no such sub-directory. */
export async function readFunctionFiles(dir = MIGRATIONS_DIR): Promise<{ name: string; text: string }[]> {
  const functionsDir = path.join(dir, FUNCTIONS_SUBDIR);
  if (!existsSync(functionsDir)) return [];
  const names = (await fs.readdir(functionsDir)).filter((f) => f.endsWith('.sql')).sort();
  return Promise.all(
    names.map(async (name) => ({ name, text: await fs.readFile(path.join(functionsDir, name), 'utf8') })),
  );
}

/** The advisory-lock key that makes one process at a time migrate a database. */
const MIGRATION_LOCK = 727274001;

/**
 * A migration that was applied and has since been edited (its bytes' sha256 differs from the one
 * recorded when it landed). An operator's or developer's mistake, not a bug: start-up prints the
 * message alone, on one line (src/main.ts).
 */
export class MigrationEditedError extends Error {
  override name = 'MigrationEditedError';
  constructor(readonly file: string) {
    super(
      `Migration ${file} was edited after it was applied (checksum differs): migrations are append-only; add a new migration instead`,
    );
  }
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Applies `migrations/NNNN_name.sql` in order, once each, each in its own transaction: a file that
 * fails rolls back alone, and the files before it stay applied and recorded.
 *
 * Several API processes may start against one database at once: the whole run holds a
 * session-level advisory lock on one reserved connection, so one process migrates while the
 * others wait, then find nothing left to do. The files' transactions run on that same
 * connection (not `sql.begin`, which reserves a second one: a pool of one, as the test harness's
 * template uses, would wait for itself).
 *
 * `schema_migrations` records the sha256 of each applied file's bytes. Before anything is
 * applied, every file already recorded is checked against it, and one that differs stops the
 * start with a `MigrationEditedError` naming it: a landed migration is never edited (the
 * databases it already ran on would not see the change). Rows from before checksums were
 * recorded get theirs from the file as it is now, trusted once.
 *
 * A recorded name with no file is tolerated, not refused: during a rolling deploy an older
 * process starts against a database that newer code has already migrated, and refusing would
 * stop it. (A renamed file therefore looks new and runs again; don't rename landed migrations.)
 *
 * Then, still under the lock, the function files (`functions/*.sql`, `readFunctionFiles`) are
 * applied, all in one transaction: `create or replace function` with the bodies as they are now,
 * so a changed file takes effect on the next start without a numbered migration, and re-applying
 * unchanged files changes nothing. Two processes starting at once replace them one after the
 * other (without the lock, concurrent replacements of one function fail with "tuple concurrently
 * updated"). Skipped when the database knows a migration this code has no file for: newer code
 * migrated it, and its function bodies (possibly over columns this code does not know) win.
 * (A change to function files alone cannot be told apart that way: an older process starting
 * after it would put its older bodies back until the next newer start. A function change that
 * older code must not undo comes with a numbered migration, even a `select 1;`.)
 */
export async function migrate(sql: Sql, dir = MIGRATIONS_DIR): Promise<string[]> {
  const names = (await fs.readdir(dir)).filter((f) => /^\d{4}_.+\.sql$/.test(f)).sort();
  const functionFiles = await readFunctionFiles(dir);
  const files = await Promise.all(
    names.map(async (name) => {
      const bytes = await fs.readFile(path.join(dir, name));
      return { name, text: bytes.toString('utf8'), checksum: sha256(bytes) };
    }),
  );
  const applied: string[] = [];
  const conn = await sql.reserve();
  let gone = false;
  try {
    await conn`select pg_advisory_lock(${MIGRATION_LOCK})`;
    try {
      await conn`create table if not exists schema_migrations (
        name text primary key, applied_at timestamptz not null default now())`;
      await conn`alter table schema_migrations add column if not exists checksum text`;
      const recorded = new Map(
        (
          await conn<{ name: string; checksum: string | null }[]>`
          select name, checksum from schema_migrations`
        ).map((r) => [r.name, r.checksum]),
      );
      for (const file of files) {
        const checksum = recorded.get(file.name);
        if (checksum != null && checksum !== file.checksum) throw new MigrationEditedError(file.name);
      }
      for (const file of files) {
        if (recorded.has(file.name) && recorded.get(file.name) == null) {
          await conn`update schema_migrations set checksum = ${file.checksum}
                     where name = ${file.name} and checksum is null`;
        }
      }
      for (const file of files) {
        if (recorded.has(file.name)) continue;
        await transactionOn(conn, '', async (tx) => {
          await tx.unsafe(file.text);
          await tx`insert into schema_migrations (name, checksum) values (${file.name}, ${file.checksum})`;
        });
        applied.push(file.name);
      }
      const newerCodeMigrated = [...recorded.keys()].some((name) => !names.includes(name));
      if (functionFiles.length > 0 && !newerCodeMigrated) {
        await transactionOn(conn, '', async (tx) => {
          for (const file of functionFiles) await tx.unsafe(file.text);
        });
      }
    } finally {
      // On a connection that is gone the server has already released the lock with the session.
      await conn`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => undefined);
    }
  } catch (error) {
    gone = connectionGone(error);
    throw error;
  } finally {
    if (!gone) conn.release();
  }
  return applied;
}
