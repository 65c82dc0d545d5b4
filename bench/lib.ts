// Over 300 lines: the bench harness (database, server process, load generator, ceilings, report) used by every scenario.
/**
 * Benchmark harness: a durable PostgreSQL (embedded, fsync on) and the API server in its own
 * process, a closed-loop HTTP load generator in this process, and the ceilings of the same
 * machine measured in the same run. Numbers are printed, never asserted.
 */
import { type ChildProcess, execSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createSql, type Sql } from '../src/platform/db.js';
import { freePort, startEmbeddedPostgres } from '../src/platform/embedded-db.js';
import { migrate } from '../src/platform/migrate.js';
import { RawConnection } from './raw-http.js';

export interface BenchDb {
  url: string;
  sql: Sql;
  /** The embedded server's data folder (absent with BENCH_DATABASE_URL). */
  pgDir?: string;
  stop(): Promise<void>;
}

/** A fresh, durable database (synchronous_commit on, as production) under a temporary folder. */
export async function startBenchDb(): Promise<BenchDb> {
  const external = process.env.BENCH_DATABASE_URL;
  if (external) {
    const sql = createSql(external);
    await migrate(sql);
    return { url: external, sql, stop: () => sql.end() };
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rationing-bench-'));
  await fs.chmod(dir, 0o755);
  const db = await startEmbeddedPostgres({
    dataDir: dir,
    postgresFlags: [
      '-c',
      'shared_buffers=1GB',
      '-c',
      'max_wal_size=8GB',
      '-c',
      'checkpoint_timeout=30min',
      ...(process.env.BENCH_PG_STATEMENTS ? ['-c', 'shared_preload_libraries=pg_stat_statements'] : []),
    ],
  });
  const sql = createSql(db.url, { max: 4 });
  await migrate(sql);
  if (process.env.BENCH_PG_STATEMENTS) {
    await sql`create extension if not exists pg_stat_statements`;
    statementsDb = sql;
  }
  return {
    url: db.url,
    sql,
    pgDir: path.join(dir, 'pg'),
    stop: async () => {
      await sql.end();
      await db.stop();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** The API server as production runs it, in a child process, against `databaseUrl`. */
export async function startServer(
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const port = await freePort();
  // BENCH_CPU_PROF=<dir>: every API process writes a V8 CPU profile there when it exits.
  const prof = process.env.BENCH_CPU_PROF
    ? ['--cpu-prof', '--cpu-prof-dir', path.resolve(process.env.BENCH_CPU_PROF)]
    : [];
  // The young generation `npm start` and `npm run serve` give the API (package.json): a request
  // allocates a few kB that die young, and with 16 MiB semi-spaces scavenging was 14 % of the
  // API's CPU in (b) (bench/RESULTS.md).
  const node = ['--max-semi-space-size=64'];
  // `--demo`: the bench runs with the simulators and the demo keys its bulk data is sealed with
  // (bench/data.ts); without it src/main.ts is the production entry and demands real secrets.
  const child = spawn(process.execPath, [...node, ...prof, '--import', 'tsx', 'src/main.ts', '--demo'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      CLOCK: 'manual',
      SIMULATORS: 'on',
      DEMO_DATA: 'off',
      ADMIN_PASSWORD: 'bench-admin',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  await waitForHttp(`${url}/healthz`, 60_000);
  return {
    url,
    child,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

export async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not come up`);
}

export interface LoadRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  name: string;
  requests: number;
  errors: number;
  statuses: Record<string, number>;
  seconds: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  bytes: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

/**
 * Closed-loop load: `connections` keep-alive connections, each sending the next request as soon
 * as the previous answered, until `total` requests or `seconds` elapse. `next(i)` builds request i
 * (return null to stop). `ok(status)` decides what counts as an error.
 */
export async function runLoad(options: {
  name: string;
  baseUrl: string;
  connections: number;
  total?: number;
  seconds?: number;
  next: (i: number) => LoadRequest | null;
  ok?: (status: number) => boolean;
  /**
   * Open loop: request i is due at start + i / ratePerSecond, and its latency counts from when it
   * was due (no coordinated omission). Without it: closed loop, as fast as answers come.
   */
  ratePerSecond?: number;
  /**
   * Each connection sends from a loopback address of its own (127.0.x.y), as citizens would:
   * per-address limits (the look-up's 30 wrong pairs a minute) then see one person each.
   */
  distinctAddresses?: boolean;
}): Promise<LoadResult> {
  const { hostname, port } = new URL(options.baseUrl);
  const ok = options.ok ?? ((s: number) => s >= 200 && s < 400);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let issued = 0;
  let errors = 0;
  let bytes = 0;
  const start = performance.now();
  const deadline = options.seconds ? start + options.seconds * 1000 : Number.POSITIVE_INFINITY;
  const total = options.total ?? Number.POSITIVE_INFINITY;
  const connections: RawConnection[] = [];

  const one = async (connection: RawConnection, req: LoadRequest, due?: number) => {
    const t0 = due ?? performance.now();
    try {
      const res = await connection.request(req);
      bytes += res.bytes;
      latencies.push(performance.now() - t0);
      const code = String(res.status);
      statuses[code] = (statuses[code] ?? 0) + 1;
      if (!ok(res.status)) errors += 1;
    } catch {
      errors += 1;
      statuses.socket = (statuses.socket ?? 0) + 1;
    }
  };

  let opened = 0;
  const worker = async () => {
    const n = opened++;
    const from = options.distinctAddresses ? `127.0.${1 + Math.floor(n / 250)}.${1 + (n % 250)}` : undefined;
    const connection = new RawConnection(hostname, Number(port), false, from);
    connections.push(connection);
    for (;;) {
      if (issued >= total || performance.now() >= deadline) return;
      const i = issued++;
      const req = options.next(i);
      if (!req) return;
      if (options.ratePerSecond) {
        const due = start + (i * 1000) / options.ratePerSecond;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        await one(connection, req, due);
      } else {
        await one(connection, req);
      }
    }
  };
  await Promise.all(Array.from({ length: options.connections }, worker));
  const seconds = (performance.now() - start) / 1000;
  for (const c of connections) c.close();
  return summarise(options.name, latencies, errors, statuses, seconds, bytes);
}

/** Latencies (ms) and counts of one load run, as every scenario prints them. */
function summarise(
  name: string,
  latencies: number[],
  errors: number,
  statuses: Record<string, number>,
  seconds: number,
  bytes: number,
): LoadResult {
  const sorted = Float64Array.from(latencies).sort();
  return {
    name,
    requests: latencies.length,
    errors,
    statuses,
    seconds,
    perSecond: latencies.length / seconds,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    bytes,
  };
}

export function printResult(r: LoadResult, extra: Record<string, string | number> = {}): void {
  const fields = {
    requests: r.requests,
    errors: r.errors,
    'req/s': Math.round(r.perSecond),
    'p50 ms': r.p50.toFixed(1),
    'p95 ms': r.p95.toFixed(1),
    'p99 ms': r.p99.toFixed(1),
    'MB/s': (r.bytes / r.seconds / 1e6).toFixed(1),
    statuses: JSON.stringify(r.statuses),
    ...extra,
  };
  console.log(`\n## ${r.name}`);
  for (const [k, v] of Object.entries(fields)) console.log(`  ${k.padEnd(10)} ${v}`);
}

/** Ceiling 1: a Fastify hello-world in its own process, same load generator. */
export async function measureHelloWorld(seconds = 5, connections = 50): Promise<LoadResult> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/hello-server.ts', String(port)], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(url, 30_000);
    return await runLoad({
      name: 'ceiling: Fastify hello-world',
      baseUrl: url,
      connections,
      seconds,
      next: () => ({ method: 'GET', path: '/' }),
    });
  } finally {
    child.kill('SIGTERM');
  }
}

/** Ceiling 2: single-row upserts straight into PostgreSQL, one commit each, `clients` in parallel. */
export async function measureRawUpsert(url: string, seconds = 5, clients = 20): Promise<{ tps: number }> {
  const sql = createSql(url, { max: clients });
  await sql`create table if not exists bench_upsert (k bigint primary key, v int not null)`;
  let n = 0;
  const until = performance.now() + seconds * 1000;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      let i = 0;
      while (performance.now() < until) {
        await sql`insert into bench_upsert (k, v) values (${c * 1e9 + (i++ % 100_000)}, 1)
          on conflict (k) do update set v = bench_upsert.v + 1`;
        n += 1;
      }
    }),
  );
  const tps = n / ((performance.now() - start) / 1000);
  await sql`drop table bench_upsert`;
  await sql.end();
  console.log(
    `\n## ceiling: raw SQL upsert, ${clients} clients, one commit each\n  tps        ${Math.round(tps)}`,
  );
  return { tps };
}

/** One HTTP exchange on a keep-alive agent, with its status and body. */
export function httpCall(
  agent: http.Agent,
  baseUrl: URL,
  req: LoadRequest,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const r = http.request(
      {
        agent,
        hostname: baseUrl.hostname,
        port: baseUrl.port,
        method: req.method,
        path: req.path,
        headers: req.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    r.on('error', reject);
    r.end(req.body);
  });
}

/**
 * Closed loop of multi-request flows (a pharmacy sale = challenge + sale): `connections` flows at
 * once, each flow's latency from its first request to its last answer. `flow` returns the final
 * status (or a string for a failure).
 */
export async function runFlows(options: {
  name: string;
  /** Several API processes: connection k talks to process k mod n, as behind a load balancer. */
  baseUrl: string | readonly string[];
  connections: number;
  total: number;
  seconds: number;
  requestsPerFlow: number;
  flow: (i: number, call: (req: LoadRequest) => Promise<{ status: number; body: string }>) => Promise<string>;
  ok: (outcome: string) => boolean;
}): Promise<LoadResult> {
  const targets = (typeof options.baseUrl === 'string' ? [options.baseUrl] : options.baseUrl).map(
    (u) => new URL(u),
  );
  const connections: RawConnection[] = [];
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let issued = 0;
  let errors = 0;
  const start = performance.now();
  const deadline = start + options.seconds * 1000;
  const worker = async (k: number) => {
    const target = targets[k % targets.length] as URL;
    const connection = new RawConnection(target.hostname, Number(target.port));
    connections.push(connection);
    const call = (req: LoadRequest) => connection.request(req);
    while (issued < options.total && performance.now() < deadline) {
      const i = issued++;
      const t0 = performance.now();
      let outcome: string;
      try {
        outcome = await options.flow(i, call);
      } catch {
        outcome = 'socket';
      }
      latencies.push(performance.now() - t0);
      statuses[outcome] = (statuses[outcome] ?? 0) + 1;
      if (!options.ok(outcome)) errors += 1;
    }
  };
  await Promise.all(Array.from({ length: options.connections }, (_, k) => worker(k)));
  const seconds = (performance.now() - start) / 1000;
  for (const c of connections) c.close();
  return summarise(options.name, latencies, errors, statuses, seconds, 0);
}

/** The bench database when BENCH_PG_STATEMENTS=1 (pg_stat_statements loaded), else null. */
let statementsDb: Sql | null = null;

/**
 * BENCH_PG_STATEMENTS=1: the statements of the measured load by the database's own execution
 * time (pg_stat_statements, reset when `measureCpu` starts) — where PostgreSQL's share of the
 * CPU per request goes, statement by statement.
 */
async function printStatements(sql: Sql): Promise<void> {
  const rows = await sql<{ calls: number; rows: number; ms: number; query: string }[]>`
    select calls::float8 as calls, rows::float8 as rows, total_exec_time as ms,
           left(regexp_replace(query, '[[:space:]]+', ' ', 'g'), 110) as query
    from pg_stat_statements order by total_exec_time desc limit 15`;
  const total = rows.reduce((a, r) => a + r.ms, 0);
  console.log('\n## PostgreSQL: statements of the measured load by execution time');
  for (const r of rows) {
    console.log(
      `  ${r.ms.toFixed(0).padStart(8)} ms ${((100 * r.ms) / Math.max(total, 1)).toFixed(1).padStart(5)}%  ` +
        `${String(r.calls).padStart(8)} calls ${String(r.rows).padStart(9)} rows  ${r.query}`,
    );
  }
}

/** What RESULTS.md records about the run: date, commit, machine, load. */
export function machineInfo(): Record<string, string> {
  const sh = (cmd: string) => {
    try {
      return execSync(cmd, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    } catch {
      return '?';
    }
  };
  return {
    date: new Date().toISOString(),
    commit: sh('git rev-parse --short HEAD'),
    nproc: sh('nproc'),
    cpu: sh("lscpu | sed -n 's/^Model name:[ ]*//p'"),
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    load: os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' '),
  };
}

export function printMachine(): void {
  console.log('\n## machine');
  for (const [k, v] of Object.entries(machineInfo())) console.log(`  ${k.padEnd(10)} ${v}`);
}

export interface Ceilings {
  helloPerSecond: number;
  rawUpsertTps: number;
}

/** Both ceilings of this machine, measured now (hello-world ≈ 5 s, raw upsert ≈ 5 s). */
export async function measureCeilings(dbUrl: string): Promise<Ceilings> {
  const hello = await measureHelloWorld(5, 50);
  printResult(hello);
  const raw = await measureRawUpsert(dbUrl, 5, 20);
  return { helloPerSecond: hello.perSecond, rawUpsertTps: raw.tps };
}

/** The scenario's rate against the ceilings and its target. */
export function printRatios(name: string, perSecond: number, c: Ceilings, target?: number): void {
  console.log(`\n## ratios: ${name}`);
  console.log(`  vs hello-world   ${(perSecond / c.helloPerSecond).toFixed(3)}`);
  console.log(`  vs raw upsert    ${(perSecond / c.rawUpsertTps).toFixed(3)}`);
  if (target) console.log(`  vs target ${target}/s  ${(perSecond / target).toFixed(3)}`);
}

/** A positive integer from the environment, or the default. */
export function envInt(name: string, fallback: number): number {
  const v = process.env[name];
  const n = v ? Number.parseInt(v.replaceAll('_', ''), 10) : Number.NaN;
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/** CPU seconds (user + system) used so far by these processes, from /proc (Linux). */
export function cpuSecondsOf(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone
    }
  }
  return ticks / 100;
}

/** The postmaster of an embedded server and all its children (backends, walwriter, …). */
export function postgresPids(pgDir: string | undefined): number[] {
  if (!pgDir) return [];
  let postmaster: number;
  try {
    postmaster = Number(readFileSync(path.join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return [];
  }
  const pids = [postmaster];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === postmaster) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

/**
 * CPU used by the API processes, PostgreSQL and this load generator while `work` runs: the
 * per-core cost that docs/SCALING.md turns into a capacity plan (noise from other processes on
 * the machine does not enter these figures).
 */
export async function measureCpu<T>(
  servers: readonly { child: ChildProcess }[],
  pgDir: string | undefined,
  work: () => Promise<T>,
): Promise<{ result: T; api: number; db: number; loadGen: number; wall: number }> {
  const apiPids = servers.map((s) => s.child.pid ?? 0);
  const pg = postgresPids(pgDir);
  if (statementsDb) await statementsDb`select pg_stat_statements_reset()`;
  const api0 = cpuSecondsOf(apiPids);
  const db0 = cpuSecondsOf(pg);
  const me0 = process.cpuUsage();
  const t0 = performance.now();
  const result = await work();
  const me = process.cpuUsage(me0);
  if (statementsDb) await printStatements(statementsDb);
  return {
    result,
    api: cpuSecondsOf(apiPids) - api0,
    db: cpuSecondsOf(postgresPids(pgDir)) - db0,
    loadGen: (me.user + me.system) / 1e6,
    wall: (performance.now() - t0) / 1000,
  };
}

export function printCpu(
  what: string,
  count: number,
  cpu: { api: number; db: number; loadGen: number; wall: number },
): void {
  const per = (s: number) => ((s / count) * 1e6).toFixed(0);
  console.log(
    `\n## CPU per ${what} (µs of one core)\n  API        ${per(cpu.api)}  (${(cpu.api / cpu.wall).toFixed(2)} cores)` +
      `\n  PostgreSQL ${per(cpu.db)}  (${(cpu.db / cpu.wall).toFixed(2)} cores)` +
      `\n  load gen   ${per(cpu.loadGen)}  (${(cpu.loadGen / cpu.wall).toFixed(2)} cores)` +
      `\n  → per API core ${Math.round(count / cpu.api)}/s, per PostgreSQL core ${Math.round(count / cpu.db)}/s`,
  );
}
