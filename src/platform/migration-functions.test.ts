import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/app.js';
import { createSql, type Sql } from './db.js';
import { FUNCTIONS_SUBDIR, MIGRATIONS_DIR, readFunctionFiles } from './migrate.js';

/**
 * migrations/functions/ holds the current body of every SQL function (its README.md): the
 * database after start-up (the test template is migrated as the server's start-up migrates)
 * holds exactly those bodies, and none lives only in a numbered migration.
 */
let sql: Sql;

beforeAll(async () => {
  sql = createSql(await createTestDatabase(), { max: 1 });
});

afterAll(async () => {
  await sql?.end();
});

/** The definitions of the functions of schema public, not those of an extension, by name. */
async function definitions(db: Sql): Promise<Map<string, string>> {
  const rows = await db<{ name: string; def: string }[]>`
    select p.proname as name, pg_get_functiondef(p.oid) as def
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'public' and p.prokind = 'f'
      and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid
                                                  and d.deptype = 'e')
    order by p.proname, p.oid`;
  return new Map(rows.map((r) => [r.name, r.def]));
}

/** The comment-free text of a file, with dollar-quoted bodies blanked, split into statements. */
function statements(text: string): string[] {
  return text
    .replace(/\$\$[\s\S]*?\$\$/g, '$$$$')
    .replace(/--[^\n]*/g, '')
    .split(';')
    .map((s) => s.trim().replace(/\s+/g, ' '))
    .filter((s) => s !== '');
}

const FUNCTION_NAME = /create\s+(?:or\s+replace\s+)?function\s+([a-z_][a-z0-9_]*)/gi;
const namesIn = (text: string) =>
  [...text.matchAll(FUNCTION_NAME)].map((m) => (m[1] as string).toLowerCase());

describe('migrations/functions', () => {
  it('is found beside the numbered migrations (the same directory from src/ and from dist/src/)', async () => {
    const files = await readFunctionFiles();
    expect(path.dirname(path.join(MIGRATIONS_DIR, FUNCTIONS_SUBDIR, 'x'))).toBe(
      path.join(MIGRATIONS_DIR, 'functions'),
    );
    expect(files.map((f) => f.name)).toContain('order-state.sql');
  });

  it('holds only `create or replace function` statements (re-applying them changes nothing else)', async () => {
    for (const file of await readFunctionFiles()) {
      for (const statement of statements(file.text)) {
        expect(statement, `${file.name}: ${statement}`).toMatch(/^create or replace function /i);
      }
    }
  });

  it('is what the database holds after start-up: re-running every file changes no definition', async () => {
    const now = await definitions(sql);
    const rerun = await sql
      .begin(async (tx) => {
        for (const file of await readFunctionFiles()) await tx.unsafe(file.text);
        const defs = await definitions(tx as unknown as Sql);
        throw Object.assign(new Error('roll back'), { defs });
      })
      .catch((error: { defs?: Map<string, string> }) => {
        if (!error.defs) throw error;
        return error.defs;
      });
    expect(rerun.size).toBeGreaterThan(0);
    expect(now).toEqual(rerun);
  });

  it('has the current body of every function: each one in the database, each one a numbered migration created', async () => {
    const inFiles = new Set((await readFunctionFiles()).flatMap((f) => namesIn(f.text)));
    const inDatabase = [...(await definitions(sql)).keys()];
    expect(inDatabase.filter((name) => !inFiles.has(name))).toEqual([]);

    const numbered = (await fs.readdir(MIGRATIONS_DIR)).filter((f) => /^\d{4}_.+\.sql$/.test(f));
    const created = new Set<string>();
    for (const name of numbered) {
      for (const fn of namesIn(await fs.readFile(path.join(MIGRATIONS_DIR, name), 'utf8'))) created.add(fn);
    }
    expect(created.size).toBeGreaterThan(0);
    const stillThere = [...created].filter((name) => inDatabase.includes(name));
    expect(stillThere.filter((name) => !inFiles.has(name))).toEqual([]);
    expect(stillThere.sort()).toEqual([...created].sort());
  });

  it('docs/ARCHITECTURE.md "Table ownership" names the owner of every table in the database', async () => {
    const doc = await fs.readFile(path.join(MIGRATIONS_DIR, '..', 'docs', 'ARCHITECTURE.md'), 'utf8');
    const section = doc.split(/^## Table ownership$/m)[1]?.split(/^## /m)[0] ?? '';
    const named = new Set(
      section
        .split('\n')
        .filter((line) => line.startsWith('| `'))
        .flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/`([a-z_]+)`/g)].map((m) => m[1])),
    );
    const tables = await sql<{ name: string }[]>`
      select tablename as name from pg_tables where schemaname = 'public' order by tablename`;
    expect(tables.length).toBeGreaterThan(0);
    expect(tables.map((t) => t.name).filter((name) => !named.has(name))).toEqual([]);
  });
});
