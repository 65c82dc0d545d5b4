import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { createSql, type Sql } from './db.js';
import { MigrationEditedError, migrate } from './migrate.js';

/** The runner on an empty database of its own and a temporary migrations directory per test. */
const serverUrl = () => inject('serverUrl');
let dbName = '';
let dir = '';
const pools: Sql[] = [];

const pool = (max = 1): Sql => {
  const sql = createSql(serverUrl().replace(/\/[^/]*$/, `/${dbName}`), { max });
  pools.push(sql);
  return sql;
};
const write = (name: string, text: string) => fs.writeFile(path.join(dir, name), text);
/** A file of `functions/` (the current bodies, re-applied on every start). */
const writeFunction = async (name: string, text: string) => {
  await fs.mkdir(path.join(dir, 'functions'), { recursive: true });
  await fs.writeFile(path.join(dir, 'functions', name), text);
};
const answer = (n: number) =>
  `create or replace function answer() returns int language sql immutable return ${n};\n`;
const answerNow = async (sql: Sql) => (await sql<{ n: number }[]>`select answer() as n`)[0]?.n;
const sha256 = (text: string) => createHash('sha256').update(Buffer.from(text)).digest('hex');

async function admin(statement: string): Promise<void> {
  const sql = createSql(serverUrl(), { max: 1 });
  try {
    await sql.unsafe(statement);
  } finally {
    await sql.end();
  }
}

beforeEach(async () => {
  dbName = `t_${randomBytes(6).toString('hex')}`;
  await admin(`create database ${dbName}`);
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'migrations-'));
});

afterEach(async () => {
  await Promise.all(pools.splice(0).map((sql) => sql.end()));
  await fs.rm(dir, { recursive: true, force: true });
  await admin(`drop database if exists ${dbName}`);
});

const LOG =
  'create table if not exists ran (file text not null, at timestamptz not null default clock_timestamp())';
const logs = (file: string) => `${LOG};\ninsert into ran (file) values ('${file}');\n`;

describe('migrate', () => {
  it('applies the files in order, once each, and records their checksums', async () => {
    await write('0002_b.sql', logs('0002'));
    await write('0001_a.sql', logs('0001'));
    await write('0010_c.sql', logs('0010'));
    await write('notes.txt', 'not a migration');
    const sql = pool();
    expect(await migrate(sql, dir)).toEqual(['0001_a.sql', '0002_b.sql', '0010_c.sql']);
    expect((await sql<{ file: string }[]>`select file from ran order by at`).map((r) => r.file)).toEqual([
      '0001',
      '0002',
      '0010',
    ]);
    const rows = await sql<{ name: string; checksum: string }[]>`
      select name, checksum from schema_migrations order by name`;
    expect(rows).toEqual([
      { name: '0001_a.sql', checksum: sha256(logs('0001')) },
      { name: '0002_b.sql', checksum: sha256(logs('0002')) },
      { name: '0010_c.sql', checksum: sha256(logs('0010')) },
    ]);
    expect(await migrate(sql, dir)).toEqual([]);
    expect((await sql`select file from ran`).length).toBe(3);
  });

  it('runs each file in its own transaction: a failing second file leaves the first applied and recorded', async () => {
    await write('0001_a.sql', logs('0001'));
    await write('0002_b.sql', `${logs('0002')}select 1 / 0;\n`);
    await write('0003_c.sql', logs('0003'));
    const sql = pool();
    await expect(migrate(sql, dir)).rejects.toThrow(/division by zero/);
    expect((await sql<{ file: string }[]>`select file from ran`).map((r) => r.file)).toEqual(['0001']);
    expect((await sql<{ name: string }[]>`select name from schema_migrations`).map((r) => r.name)).toEqual([
      '0001_a.sql',
    ]);

    // Fixed (it never landed), the rest applies on the next start; the pool's one connection is usable.
    await write('0002_b.sql', logs('0002'));
    expect(await migrate(sql, dir)).toEqual(['0002_b.sql', '0003_c.sql']);
  });

  it('refuses to start when an applied file was edited, naming it, and applies nothing', async () => {
    await write('0001_a.sql', logs('0001'));
    await write('0002_b.sql', logs('0002'));
    const sql = pool();
    await migrate(sql, dir);
    await write('0002_b.sql', `${logs('0002')}-- a comment added later\n`);
    await write('0003_c.sql', logs('0003'));
    const refusal = await migrate(sql, dir).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(MigrationEditedError);
    expect((refusal as Error).message).toBe(
      'Migration 0002_b.sql was edited after it was applied (checksum differs): migrations are append-only; add a new migration instead',
    );
    expect((await sql`select 1 from schema_migrations where name = '0003_c.sql'`).length).toBe(0);
  });

  it('records checksums for rows from before they were recorded (trusted once), then checks them', async () => {
    await write('0001_a.sql', logs('0001'));
    const sql = pool();
    await sql`create table schema_migrations (name text primary key, applied_at timestamptz not null default now())`;
    await sql`insert into schema_migrations (name) values ('0001_a.sql')`;
    expect(await migrate(sql, dir)).toEqual([]);
    expect(await sql`select checksum from schema_migrations`).toEqual([{ checksum: sha256(logs('0001')) }]);
    await write('0001_a.sql', `${logs('0001')} `);
    await expect(migrate(sql, dir)).rejects.toBeInstanceOf(MigrationEditedError);
  });

  it('tolerates a recorded migration with no file (an older process after a newer one migrated)', async () => {
    await write('0001_a.sql', logs('0001'));
    await write('0002_b.sql', logs('0002'));
    const sql = pool();
    await migrate(sql, dir);
    await fs.rm(path.join(dir, '0002_b.sql'));
    expect(await migrate(sql, dir)).toEqual([]);
  });

  it('applies each file once when several processes migrate one database at the same time', async () => {
    for (let i = 1; i <= 6; i++) {
      await write(`000${i}_m.sql`, `${logs(`000${i}`)}select pg_sleep(0.05);\n`);
    }
    const runs = await Promise.all([pool(), pool(), pool(2)].map((sql) => migrate(sql, dir)));
    expect(runs.flat().sort()).toEqual([
      '0001_m.sql',
      '0002_m.sql',
      '0003_m.sql',
      '0004_m.sql',
      '0005_m.sql',
      '0006_m.sql',
    ]);
    const sql = pool();
    const ran = await sql<{ file: string; n: number }[]>`
      select file, count(*)::int as n from ran group by file order by file`;
    expect(ran.every((r) => r.n === 1)).toBe(true);
    expect(ran.length).toBe(6);
  });

  it('applies functions/*.sql after the numbered files on every start, unrecorded: an edited one takes effect', async () => {
    await write(
      '0001_a.sql',
      `${logs('0001')}create function answer() returns int language sql immutable return 1;\n`,
    );
    await writeFunction('answer.sql', answer(2));
    const sql = pool();
    expect(await migrate(sql, dir)).toEqual(['0001_a.sql']);
    expect(await answerNow(sql)).toBe(2);
    expect((await sql<{ name: string }[]>`select name from schema_migrations`).map((r) => r.name)).toEqual([
      '0001_a.sql',
    ]);

    // Re-applied unchanged: nothing changes; edited: the next start has the new body, no migration added.
    expect(await migrate(sql, dir)).toEqual([]);
    expect(await answerNow(sql)).toBe(2);
    await writeFunction('answer.sql', answer(3));
    expect(await migrate(sql, dir)).toEqual([]);
    expect(await answerNow(sql)).toBe(3);
    expect(await sql`select name, checksum from schema_migrations`).toEqual([
      {
        name: '0001_a.sql',
        checksum: sha256(
          `${logs('0001')}create function answer() returns int language sql immutable return 1;\n`,
        ),
      },
    ]);
  });

  it('applies the function files to a database migrated before they existed', async () => {
    await write('0001_a.sql', 'create function answer() returns int language sql immutable return 1;\n');
    const sql = pool();
    await migrate(sql, dir);
    expect(await answerNow(sql)).toBe(1);
    await writeFunction('answer.sql', answer(2));
    expect(await migrate(sql, dir)).toEqual([]);
    expect(await answerNow(sql)).toBe(2);
  });

  it('applies the function files in one transaction: a failing file changes no function', async () => {
    await write('0001_a.sql', 'create function answer() returns int language sql immutable return 1;\n');
    await writeFunction('a.sql', answer(2));
    await writeFunction(
      'b.sql',
      'create or replace function broken() returns int language sql return 1 / ;\n',
    );
    const sql = pool();
    await expect(migrate(sql, dir)).rejects.toThrow(/syntax error/);
    expect(await answerNow(sql)).toBe(1);
    expect((await sql`select name from schema_migrations`).length).toBe(1);
  });

  it('replaces the functions one process at a time when several start at once', async () => {
    await write('0001_a.sql', 'create function answer() returns int language sql immutable return 1;\n');
    // The replacement's transaction stays open a while: without the lock, a second process's
    // replacement of the same function would wait for it and then fail ("tuple concurrently updated").
    await writeFunction('answer.sql', `${answer(2)}select pg_sleep(0.2);\n`);
    const sql = pool();
    await migrate(sql, dir);
    const runs = await Promise.all([pool(), pool(), pool(2)].map((p) => migrate(p, dir)));
    expect(runs).toEqual([[], [], []]);
    expect(await answerNow(sql)).toBe(2);
  });

  it('leaves the functions alone when newer code has migrated the database (a migration it has no file for)', async () => {
    await write('0001_a.sql', 'create function answer() returns int language sql immutable return 1;\n');
    await write('0002_b.sql', 'select 1;\n');
    await writeFunction('answer.sql', answer(5));
    const sql = pool();
    await migrate(sql, dir);
    expect(await answerNow(sql)).toBe(5);
    // The older code: no 0002, and an older body.
    await fs.rm(path.join(dir, '0002_b.sql'));
    await writeFunction('answer.sql', answer(4));
    expect(await migrate(sql, dir)).toEqual([]);
    expect(await answerNow(sql)).toBe(5);
  });
});
