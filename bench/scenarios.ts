// Over 300 lines: the table of bench scenarios (a)-(g), each a short function over the shared harness.
/**
 * The scenarios of issue 7 (bench/RESULTS.md). Each starts its own durable database, writes its
 * data, measures the ceilings of the machine in the same run, then loads the real API server in
 * its own process. Every loop is bounded in count and time (BENCH_MAX_SECONDS, default 600 per
 * phase); numbers are printed, never asserted. Scale: env variables below, national by default.
 */
import { createPrivateKey } from 'node:crypto';
import http from 'node:http';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { nationalIdAt } from '../src/demo/national.js';
import { expandSelectedEmails, prefilterBound } from '../src/draw/draw.repo.js';
import { runDraw } from '../src/draw/run-draw.js';
import { bankNoticeHeaders } from '../src/payments/bank-signature.js';
import type { Deps } from '../src/platform/deps.js';
import { sealRecipient } from '../src/platform/outbox.js';
import { virtualAccount } from '../src/rules/virtual-account.js';
import { bulkPersonsAndOrders } from './bulk-load.js';
import {
  benchToken,
  benchVault,
  bulkOrders,
  bulkPersons,
  createBenchSessions,
  createRound,
  ROUND_1,
  SEALED_SAMPLE_PHONE,
  seedNational,
} from './data.js';
import {
  type BenchDb,
  type Ceilings,
  envInt,
  httpCall,
  type LoadResult,
  measureCeilings,
  measureCpu,
  printCpu,
  printMachine,
  printRatios,
  printResult,
  runFlows,
  runLoad,
  type ServerProcess,
  startBenchDb,
  startServer,
} from './lib.js';

const MAX_SECONDS = envInt('BENCH_MAX_SECONDS', 600);
/** The manual clock of a new system: 2020-03-12 09:00 Taipei, round 1 registration (docs/DEMO.md). */
const EPOCH = new Date('2020-03-12T09:00:00+08:00');

async function setClock(url: string, iso: string): Promise<void> {
  const res = await fetch(`${url}/api/v1/sim/clock`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ now: iso }),
  });
  if (res.status !== 200) throw new Error(`clock: ${res.status} ${await res.text()}`);
}

async function withBench(
  title: string,
  work: (db: BenchDb, ceilings: Ceilings, servers: ServerProcess[]) => Promise<void>,
): Promise<void> {
  console.log(`\n# ${title}`);
  printMachine();
  const db = await startBenchDb();
  if (process.env.BENCH_VERBOSE) console.log(`  database ${db.url}`);
  const servers: ServerProcess[] = [];
  try {
    const ceilings = await measureCeilings(db.url);
    await work(db, ceilings, servers);
  } finally {
    for (const s of servers) await s.stop();
    await db.stop();
  }
}

const json = (body: unknown) => JSON.stringify(body);
const JSON_HEADERS = { 'content-type': 'application/json' };

/** (a) Order submission by many signed-in people at once, then the launch burst. */
/** The order PUT of the person `id` (signed in with their bench session) at one of `stores`. */
function orderRequest(roundId: number, id: number, stores: number[]) {
  return {
    method: 'PUT',
    path: `/api/v1/rounds/${roundId}/order`,
    headers: { ...JSON_HEADERS, authorization: `Bearer ${benchToken(id)}` },
    body: json({
      storeId: stores[id % stores.length],
      phone: `09${String(id % 100_000_000).padStart(8, '0')}`,
      email: `p${id}@example.com`,
    }),
  };
}

export async function ordersScenario(): Promise<void> {
  await withBench('(a) order submission and the launch burst', async (db, ceilings, servers) => {
    const total = envInt('BENCH_ORDERS', 1_180_000);
    const sustainedSeconds = envInt('BENCH_SUSTAINED_SECONDS', 30);
    const connections = envInt('BENCH_CONNECTIONS', 256);
    const data = await seedNational(db.sql, db.url, total);
    await createBenchSessions(db.sql, data.firstPersonId, total, EPOCH);
    const roundId = await createRound(db.sql, ROUND_1, 2_330_000);
    await db.sql`vacuum analyze`;
    // Write the bulk load's dirty pages out now, not during the measurement.
    await db.sql`checkpoint`;
    const server = await startServer(db.url);
    servers.push(server);
    const stores = data.storeIds;
    let person = 0;
    const next = () =>
      person >= total ? null : orderRequest(roundId, data.firstPersonId + person++, stores);
    const ok = (s: number) => s === 200;
    const cpu = await measureCpu(servers, db.pgDir, () =>
      runLoad({
        name: `orders, ${connections} signed-in people at once, ${sustainedSeconds} s`,
        baseUrl: server.url,
        connections,
        seconds: sustainedSeconds,
        next,
        ok,
      }),
    );
    const sustained = cpu.result;
    printResult(sustained);
    printCpu('order', sustained.requests, cpu);
    printRatios('orders sustained', sustained.perSecond, ceilings, 8000);
    const burst = await runLoad({
      name: `launch burst: the remaining ${total - person} of ${total} orders as fast as taken`,
      baseUrl: server.url,
      connections,
      seconds: MAX_SECONDS,
      next,
      ok,
    });
    printResult(burst);
    const all = sustained.requests + burst.requests;
    const seconds = sustained.seconds + burst.seconds;
    const [stored] = await db.sql<
      { n: number }[]
    >`select count(*)::int as n from orders where round_id = ${roundId}`;
    console.log(
      `\n## launch burst overall\n  orders     ${all} in ${seconds.toFixed(1)} s = ${Math.round(all / seconds)}/s` +
        `\n  errors     ${sustained.errors + burst.errors}\n  stored     ${stored?.n} orders (one per person)`,
    );
    printRatios('launch burst', all / seconds, ceilings, 8000);
  });
}

/**
 * A card's signature over a nonce (API.md "Cryptography"), made as the card's chip would: with
 * libsodium, which signs in ≈ 13 µs against ≈ 29 µs through node:crypto — the load generator
 * shares the box with the API, so its CPU is the API's loss.
 */
function cardSigner(privateKeyPem: string): (nonce: string) => string {
  const jwk = createPrivateKey(privateKeyPem).export({ format: 'jwk' });
  const secretKey = Buffer.concat([
    Buffer.from(jwk.d ?? '', 'base64url'),
    Buffer.from(jwk.x ?? '', 'base64url'),
  ]);
  const signature = Buffer.alloc(64);
  return (nonce) => {
    sodium.crypto_sign_detached(signature, Buffer.from(nonce, 'utf8'), secretKey);
    return signature.toString('base64url');
  };
}

const sodium = createRequire(import.meta.url)('sodium-native') as {
  crypto_sign_detached(signature: Buffer, message: Buffer, secretKey: Buffer): void;
};

/** (b) A pharmacy sale: challenge + signed sale (2 requests), zero double sales. */
export async function salesScenario(): Promise<void> {
  await withBench('(b) pharmacy sales (challenge + card signature)', async (db, ceilings, servers) => {
    const people = envInt('BENCH_SALES_PEOPLE', 300_000);
    const seconds = envInt('BENCH_SALES_SECONDS', 30);
    const connections = envInt('BENCH_CONNECTIONS', 64);
    const data = await seedNational(db.sql, db.url, people);
    await db.sql`update pharmacies set adult_stock = 100000000, child_stock = 100000000`;
    await db.sql`vacuum analyze`;
    // Write the bulk load's dirty pages out now, not during the measurement.
    await db.sql`checkpoint`;
    // 6,000 pharmacies come from 6,000 addresses; the load generator is one (127.0.0.1), so the
    // per-address challenge flood limit (docs/SECURITY.md) is off here: it is not what is measured.
    // BENCH_API_PROCESSES=n: n API processes against the one database, the counters spread over
    // them as a load balancer would (docs/SCALING.md).
    const processes = envInt('BENCH_API_PROCESSES', 1);
    while (servers.length < processes) {
      const started = await startServer(db.url, { CHALLENGE_RATE_LIMIT: '0' });
      servers.push(started);
      await setClock(started.url, '2020-03-15T10:00:00+08:00'); // a Sunday: every ID may buy
    }
    const server = servers[0] as (typeof servers)[number];
    const signers = data.keys.cardKeys.map((k) => cardSigner(k.privateKeyPem));
    const pharmacies = data.keys.pharmacies;
    const race = 500;
    const sellers = 4;
    const sale = async (
      person: number,
      pharmacy: number,
      call: (r: {
        method: string;
        path: string;
        headers?: Record<string, string>;
        body?: string;
      }) => Promise<{
        status: number;
        body: string;
      }>,
    ) => {
      const c = await call({
        method: 'POST',
        path: '/api/v1/auth/challenges',
        headers: JSON_HEADERS,
        body: '{}',
      });
      if (c.status !== 201) return `challenge ${c.status}`;
      const { challengeId, nonce } = JSON.parse(c.body) as { challengeId: string; nonce: string };
      const signNonce = signers[person % signers.length] as (nonce: string) => string;
      const p = pharmacies[pharmacy % pharmacies.length] as { code: string; apiKey: string };
      const s = await call({
        method: 'POST',
        path: `/api/v1/pharmacies/${p.code}/sales`,
        headers: { ...JSON_HEADERS, authorization: `Bearer ${p.apiKey}` },
        body: json({
          cardNo: String(data.keys.cardNoBase + person),
          challengeId,
          cardSignature: signNonce(nonce),
          item: 'adult',
        }),
      });
      return String(s.status);
    };
    const cpu = await measureCpu(servers, db.pgDir, () =>
      runFlows({
        name: `pharmacy sales, ${connections} counters at once, ${processes} API process(es), ≤ ${seconds} s`,
        baseUrl: servers.map((s) => s.url),
        connections,
        total: people - race,
        seconds,
        requestsPerFlow: 2,
        flow: (i, call) => sale(race + i, i, call),
        ok: (o) => o === '201',
      }),
    );
    const result = cpu.result;
    printResult(result, { 'requests/s': Math.round(result.perSecond * 2) });
    printCpu('sale (challenge + sale)', Math.max(result.requests, 1), cpu);
    printRatios('sales', result.perSecond, ceilings, 4000);
    // The same card at `sellers` pharmacies at once: exactly one sale each.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
    const base = new URL(server.url);
    const call = (r: Parameters<typeof httpCall>[2]) => httpCall(agent, base, r);
    const outcomes = await Promise.all(
      Array.from({ length: race }, (_, person) =>
        Promise.all(Array.from({ length: sellers }, (_, k) => sale(person, person * sellers + k, call))),
      ),
    );
    agent.destroy();
    const wins = outcomes.map((o) => o.filter((s) => s === '201').length);
    const [dup] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from (select person_id from purchases group by person_id having count(*) > 1) d`;
    console.log(
      `\n## double-sale race: ${race} cards × ${sellers} pharmacies at once\n` +
        `  one sale each   ${wins.filter((w) => w === 1).length} / ${race}\n` +
        `  people sold twice (whole run, database)   ${dup?.n}`,
    );
  });
}

/** (c) The public order look-up at a fixed 2 k/s, then as fast as it goes. */
export async function lookupScenario(): Promise<void> {
  await withBench('(c) order look-up', async (db, ceilings, servers) => {
    const people = envInt('BENCH_LOOKUP_PEOPLE', 2_000_000);
    const rate = envInt('BENCH_LOOKUP_RATE', 2000);
    // People from the national generator: their IDs are sealed and indexed as the platform
    // stores them, so a look-up finds them by the blind index.
    const data = await seedNational(db.sql, db.url, people, { pharmacies: 0 });
    const roundId = await createRound(db.sql, ROUND_1, 2_330_000);
    await bulkOrders(db.sql, {
      roundId,
      firstPersonId: data.firstPersonId,
      count: people,
      storeIds: data.storeIds,
      state: 'registered',
      at: ROUND_1.registrationOpensAt,
    });
    await db.sql`vacuum analyze`;
    // Write the bulk load's dirty pages out now, not during the measurement.
    await db.sql`checkpoint`;
    const server = await startServer(db.url);
    servers.push(server);
    const next = () => ({
      method: 'POST',
      path: '/api/v1/orders/lookup',
      headers: JSON_HEADERS,
      body: json({
        nationalId: nationalIdAt(Math.floor(Math.random() * people)),
        phoneLast3: SEALED_SAMPLE_PHONE.slice(-3),
      }),
    });
    const ok = (s: number) => s === 200;
    // Warm-up, not counted: the server's first requests open its database connections and JIT
    // the path; a cold start would be the whole p99 of the paced run.
    await runLoad({
      name: 'warm-up',
      baseUrl: server.url,
      connections: 128,
      seconds: 5,
      ratePerSecond: rate,
      next,
      ok,
      distinctAddresses: true,
    });
    const paced = await runLoad({
      name: `look-ups at ${rate}/s (open loop), 30 s`,
      baseUrl: server.url,
      connections: 128,
      seconds: 30,
      ratePerSecond: rate,
      next,
      ok,
      distinctAddresses: true,
    });
    printResult(paced);
    const cpu = await measureCpu(servers, db.pgDir, () =>
      runLoad({
        name: 'look-ups as fast as answered, 64 connections, 15 s',
        baseUrl: server.url,
        connections: 64,
        seconds: 15,
        next,
        ok,
        distinctAddresses: true,
      }),
    );
    const max = cpu.result;
    printResult(max);
    printCpu('look-up', Math.max(max.requests, 1), cpu);
    printRatios('look-ups (max)', max.perSecond, ceilings, 2000);
  });
}

/** (d) Open-data CSV: 304s, full gzip downloads from memory, freshness after a stock change. */
export async function openDataScenario(): Promise<void> {
  await withBench('(d) open-data CSV', async (db, ceilings, servers) => {
    const data = await seedNational(db.sql, db.url, 0, { pharmacies: envInt('BENCH_PHARMACIES', 6000) });
    const server = await startServer(db.url);
    servers.push(server);
    const path = '/api/v1/open-data/pharmacy-stock.csv';
    const first = await fetch(`${server.url}${path}`, { headers: { 'accept-encoding': 'identity' } });
    const etag = first.headers.get('etag') ?? '';
    const size = (await first.arrayBuffer()).byteLength;
    const gz = await fetch(`${server.url}${path}`, { headers: { 'accept-encoding': 'gzip' } });
    console.log(`\n  CSV ${size} bytes, gzip ${gz.headers.get('content-length') ?? '?'} bytes, etag ${etag}`);
    const cond = await runLoad({
      name: 'conditional GET answered 304, 15 s',
      baseUrl: server.url,
      connections: 64,
      seconds: 15,
      next: () => ({
        method: 'GET',
        path,
        headers: { 'if-none-match': etag, 'accept-encoding': 'identity' },
      }),
      ok: (s) => s === 304,
    });
    printResult(cond);
    printRatios('304s', cond.perSecond, ceilings, 20_000);
    const full = await runLoad({
      name: 'full download, gzip from memory, 10 s',
      baseUrl: server.url,
      connections: 32,
      seconds: 10,
      next: () => ({ method: 'GET', path, headers: { 'accept-encoding': 'gzip' } }),
      ok: (s) => s === 200,
    });
    printResult(full);
    // Freshness: a stock report through the API (this process) and one through another process (SQL).
    const pharmacy = data.keys.pharmacies[0] as { code: string; apiKey: string };
    const changed = async (before: string) => {
      const t0 = performance.now();
      for (;;) {
        const r = await fetch(`${server.url}${path}`, { headers: { 'accept-encoding': 'identity' } });
        await r.arrayBuffer();
        if (r.headers.get('etag') !== before) return performance.now() - t0;
        if (performance.now() - t0 > 30_000) return Number.NaN;
        await new Promise((res) => setTimeout(res, 20));
      }
    };
    const e1 = (await fetch(`${server.url}${path}`)).headers.get('etag') ?? '';
    const put = await fetch(`${server.url}/api/v1/pharmacies/${pharmacy.code}/stock`, {
      method: 'PUT',
      headers: { ...JSON_HEADERS, authorization: `Bearer ${pharmacy.apiKey}` },
      body: json({ adult: 123, child: 45 }),
    });
    const viaApi = await changed(e1);
    const e2 = (await fetch(`${server.url}${path}`)).headers.get('etag') ?? '';
    await db.sql`update pharmacies set adult_stock = adult_stock - 3, stock_updated_at = now() where code = ${pharmacy.code}`;
    const viaOther = await changed(e2);
    console.log(
      `\n## freshness\n  stock PUT ${put.status}: new CSV after ${viaApi.toFixed(0)} ms (same process)` +
        `\n  change by another process: new CSV after ${viaOther.toFixed(0)} ms`,
    );
  });
}

/** (e) The draw over a national round (BENCH_DRAW_ORDERS, default 23.6 M orders). */
export async function drawScenario(): Promise<void> {
  await withBench('(e) the draw', async (db, _ceilings) => {
    const orders = envInt('BENCH_DRAW_ORDERS', 23_600_000);
    const supply = envInt('BENCH_DRAW_SUPPLY', 2_330_000);
    const data = await seedNational(db.sql, db.url, 0, { pharmacies: 0 });
    const closed = {
      registrationOpensAt: '2020-03-01T09:00:00+08:00',
      registrationClosesAt: '2020-03-10T20:00:00+08:00',
      paymentOpensAt: '2020-03-11T09:00:00+08:00',
      paymentClosesAt: '2020-03-20T20:00:00+08:00',
    };
    const roundId = await createRound(db.sql, closed, supply);
    // COPY with the indexes and foreign keys built afterwards (bench/bulk-load.ts): the
    // statement-at-a-time load with them in place had written 8 M of 23.6 M orders in 15 minutes.
    await bulkPersonsAndOrders(db.sql, db.url, {
      count: orders,
      roundId,
      storeIds: data.storeIds,
      at: closed.registrationOpensAt,
    });
    // persons as well: loaded in seconds now, autovacuum would otherwise go through it during the draw.
    const v0 = performance.now();
    await db.sql`vacuum analyze persons`;
    const c0 = performance.now();
    await db.sql`checkpoint`;
    const c1 = performance.now();
    await db.sql`vacuum analyze orders`;
    const since = (from: number, to: number) => ((to - from) / 1000).toFixed(1);
    console.log(
      `  data: vacuum analyze persons ${since(v0, c0)} s, checkpoint ${since(c0, c1)} s, ` +
        `vacuum analyze orders ${since(c1, performance.now())} s`,
    );
    // The part that grows with the number of orders: scanning them and hashing every key.
    const bound = prefilterBound(supply, orders, 10, 1000) ?? Buffer.alloc(32, 0xff);
    const s0 = performance.now();
    const [passing] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from orders
      where round_id = ${roundId} and emask_draw_key(${Buffer.from('c0ffee', 'hex')}::bytea, id) <= ${bound}::bytea`;
    const scan = (performance.now() - s0) / 1000;
    console.log(
      `\n## draw, part 1: scan and hash ${orders} keys\n  seconds    ${scan.toFixed(1)} (${passing?.n} pass the pre-filter)` +
        `\n  per 1 M orders ${((scan * 1e6) / orders).toFixed(2)} s`,
    );
    const [wal0] = await db.sql<{ lsn: string }[]>`select pg_current_wal_lsn()::text as lsn`;
    const now = new Date('2020-03-11T00:00:00+08:00');
    const deps = { sql: db.sql, clock: { now: () => now } } as unknown as Deps;
    const t0 = performance.now();
    const result = await runDraw({ roundId, seed: 'c0ffee' }, deps, 'bench');
    const seconds = (performance.now() - t0) / 1000;
    const [wal] = await db.sql<{ bytes: number }[]>`
      select (pg_current_wal_lsn() - ${wal0?.lsn ?? '0/0'}::pg_lsn)::float8 as bytes`;
    console.log(
      `\n## draw: ${result.orders} orders, ${result.selected} selected\n  seconds    ${seconds.toFixed(1)}` +
        `\n  WAL        ${((wal?.bytes ?? 0) / 2 ** 30).toFixed(2)} GiB\n  target     ≤ 60 s at 23.6 M orders`,
    );
    // After the draw has committed, the delivery worker expands the queued template into one
    // outbox row per winner (migration 0051) while it delivers: measured here on its own.
    const e0 = performance.now();
    let expanded = 0;
    for (
      let n = await expandSelectedEmails(db.sql, 50_000);
      n > 0;
      n = await expandSelectedEmails(db.sql, 50_000)
    ) {
      expanded += n;
    }
    const expansion = (performance.now() - e0) / 1000;
    console.log(
      `\n## selection e-mails expanded after the draw (by the delivery worker, in chunks)\n` +
        `  rows       ${expanded}\n  seconds    ${expansion.toFixed(1)} (${((expansion * 1e6) / Math.max(expanded, 1)).toFixed(1)} µs per e-mail)`,
    );
  });
}

/**
 * (f) Bank-notice ingestion (BENCH_NOTICES, default 2 M payments). One notice per request by
 * default (`POST /api/v1/partners/bank/notices`); with BENCH_NOTICE_BATCH=<n> the bank's bulk form
 * (`POST /api/v1/partners/bank/notice-batches`, n notices per signed request, 8 connections unless
 * BENCH_CONNECTIONS says otherwise).
 */
export async function noticesScenario(): Promise<void> {
  await withBench('(f) bank-notice ingestion', async (db, ceilings, servers) => {
    const count = envInt('BENCH_NOTICES', 2_000_000);
    const batchSize = envInt('BENCH_NOTICE_BATCH', 0);
    const connections = envInt('BENCH_CONNECTIONS', batchSize > 0 ? 8 : 64);
    const data = await seedNational(db.sql, db.url, 0, { pharmacies: 0 });
    const first = await bulkPersons(db.sql, count);
    const roundId = await createRound(db.sql, ROUND_1, count);
    const { firstOrderId } = await bulkOrders(db.sql, {
      roundId,
      firstPersonId: first,
      count,
      storeIds: data.storeIds,
      state: 'registered',
      at: ROUND_1.registrationOpensAt,
    });
    // As the draw leaves them (migration 0050): every order a winner, no order row rewritten.
    await db.sql`insert into draw_winners (round_id, order_id)
      select round_id, id from orders where round_id = ${roundId} order by id`;
    await db.sql`update rounds set drawn_at = ${ROUND_1.registrationClosesAt} where id = ${roundId}`;
    // The tables just loaded, not the empty order_payments: analysed while empty, its statistics
    // would say "no pages", and plans cached then would scan it instead of probing its key until
    // autovacuum analysed it again (migration 0084). Autovacuum itself never analyses an empty table.
    await db.sql`vacuum analyze persons, orders, draw_winners, rounds, stores`;
    // Write the bulk load's dirty pages out now, not during the measurement.
    await db.sql`checkpoint`;
    const server = await startServer(db.url);
    servers.push(server);
    const nowIso = '2020-03-19T10:00:00+08:00';
    await setClock(server.url, nowIso);
    const timestamp = String(Math.floor(new Date(nowIso).getTime() / 1000));
    const secret = process.env.BANK_NOTICE_SECRET ?? 'demo-bank-notice-secret';
    const noticeOf = (i: number) => ({
      noticeId: `BENCH-${i}`,
      toAccount: virtualAccount(roundId, firstOrderId + i),
      amount: 22,
      transferredAt: new Date(nowIso).toISOString(),
    });
    const signed = (path: string, raw: string) => ({
      method: 'POST',
      path,
      headers: bankNoticeHeaders(secret, timestamp, raw),
      body: raw,
    });
    const requests = batchSize > 0 ? Math.ceil(count / batchSize) : count;
    const cpu = await measureCpu(servers, db.pgDir, () =>
      runLoad({
        name:
          batchSize > 0
            ? `bank notice batches of ${batchSize}, ${connections} connections`
            : `bank notices, ${connections} connections`,
        baseUrl: server.url,
        connections,
        total: requests,
        seconds: MAX_SECONDS,
        next: (i) => {
          if (batchSize <= 0) return signed('/api/v1/partners/bank/notices', json(noticeOf(i)));
          const notices = [];
          for (let n = i * batchSize; n < Math.min(count, (i + 1) * batchSize); n++)
            notices.push(noticeOf(n));
          return signed('/api/v1/partners/bank/notice-batches', json({ notices }));
        },
        ok: (s) => s === 200,
      }),
    );
    const result = cpu.result;
    printResult(result);
    const [paid] = await db.sql<{ n: number }[]>`select count(*)::int as n from order_payments`;
    const [stored] = await db.sql<{ n: number }[]>`select count(*)::int as n from bank_notices`;
    // The SMS delivery worker runs in the same API process and shares the CPU with ingestion.
    const [sms] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from outbox where channel = 'sms' and sent_at is not null`;
    // Notices answered: every request of a batch run carries batchSize of them (the last one fewer).
    const notices =
      batchSize > 0 ? Math.min(count, (result.requests - result.errors) * batchSize) : result.requests;
    const perSecond = notices / result.seconds;
    if (batchSize > 0) {
      console.log(
        `  notices    ${notices} (${Math.round(perSecond)}/s; p99 ${result.p99.toFixed(1)} ms per batch request)`,
      );
    }
    printCpu('notice', notices, cpu);
    printRatios('bank notices', perSecond, ceilings, 20_000);
    console.log(
      `  paid orders in the database: ${paid?.n}; notices stored: ${stored?.n}; SMS delivered by then: ${sms?.n}`,
    );
  });
}

/** (g) The outbox delivering messages to the local SMTP sink (BENCH_MESSAGES, default 2 M). */
export async function outboxScenario(): Promise<void> {
  await withBench('(g) outbox delivery to the local SMTP sink', async (db, ceilings, servers) => {
    const count = envInt('BENCH_MESSAGES', 2_000_000);
    const t0 = performance.now();
    const chunk = 100_000;
    for (let done = 0; done < count; done += chunk) {
      const n = Math.min(chunk, count - done);
      // One recipient per message (sealed as the platform stores it): delivery keeps each
      // recipient's messages in order, so a single shared recipient would serialise them.
      const recipients = Array.from({ length: n }, (_, i) =>
        sealRecipient(benchVault, 'email', `p${done + 1 + i}@example.com`),
      );
      await db.sql`
        insert into outbox (channel, recipient, sender, subject, body, dedupe_key, created_at, next_attempt_at)
        select 'email', r.recipient, 'emask@nhi.gov.tw', '口罩預購中籤通知 / eMask order selected',
               '您的預購已中籤。Your pre-order was selected. Order ' || x.g, 'bench:' || x.g,
               '2020-03-19T09:00:00+08:00', '2020-03-19T09:00:00+08:00'
        from unnest(${recipients}::text[]) with ordinality as r (recipient, g0),
             lateral (select ${done}::int + r.g0::int as g) x`;
    }
    console.log(`  data: ${count} outbox e-mails in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await db.sql`vacuum analyze outbox`;
    const sentSoFar = async () => {
      const [row] = await db.sql<
        { n: number }[]
      >`select count(*)::int as n from outbox where sent_at is not null`;
      return row?.n ?? 0;
    };
    const started = performance.now();
    const server = await startServer(db.url);
    servers.push(server);
    // CPU per message is measured from the moment the server answers (its start-up excluded).
    const atReady = await sentSoFar();
    let sent = atReady;
    let last = performance.now();
    const cpu = await measureCpu(servers, db.pgDir, async () => {
      for (;;) {
        await new Promise((r) => setTimeout(r, 1000));
        sent = await sentSoFar();
        last = performance.now();
        if (sent >= count || (last - started) / 1000 > MAX_SECONDS) break;
      }
    });
    const seconds = (last - started) / 1000;
    const [given] = await db.sql<{ n: number }[]>`
      select count(*)::int as n from outbox where given_up_at is not null or last_error is not null`;
    const [received] = await db.sql<{ n: number }[]>`select count(*)::int as n from sim_messages`;
    console.log(
      `\n## outbox → SMTP sink\n  sent       ${sent} of ${count} in ${seconds.toFixed(1)} s (incl. server start)` +
        `\n  msg/s      ${Math.round(sent / seconds)} (after start-up: ${Math.round((sent - atReady) / cpu.wall)})` +
        `\n  received by the sink ${received?.n}\n  failed/retrying ${given?.n}`,
    );
    printCpu('message', Math.max(sent - atReady, 1), cpu);
    printRatios('outbox', sent / seconds, ceilings, 5000);
  });
}

/** Several API processes against one database (docs/SCALING.md): throughput as processes are added. */
export async function scalingScenario(): Promise<void> {
  await withBench('scaling: API processes against one database', async (db, ceilings, servers) => {
    const maxProcesses = envInt('BENCH_PROCESSES', 3);
    const seconds = envInt('BENCH_SCALING_SECONDS', 15);
    const perStep = 400_000;
    const people = perStep * maxProcesses * 2;
    const data = await seedNational(db.sql, db.url, people);
    await createBenchSessions(db.sql, data.firstPersonId, people, EPOCH);
    const roundId = await createRound(db.sql, ROUND_1, 2_330_000);
    await db.sql`vacuum analyze`;
    const rows: string[] = [];
    let person = 0;
    const stores = data.storeIds;
    for (let k = 1; k <= maxProcesses; k++) {
      while (servers.length < k) servers.push(await startServer(db.url));
      const cpu = await measureCpu(servers, db.pgDir, () =>
        Promise.all(
          servers.map((s, n) =>
            runLoad({
              name: `orders via process ${n + 1} of ${k}`,
              baseUrl: s.url,
              connections: Math.ceil(256 / k),
              seconds,
              next: () =>
                person >= people ? null : orderRequest(roundId, data.firstPersonId + person++, stores),
              ok: (s) => s === 200,
            }),
          ),
        ),
      );
      const results: LoadResult[] = cpu.result;
      const total = results.reduce((a, r) => a + r.requests, 0);
      const errors = results.reduce((a, r) => a + r.errors, 0);
      const perSecond = total / Math.max(...results.map((r) => r.seconds));
      const p99 = Math.max(...results.map((r) => r.p99));
      rows.push(
        `  ${k} process(es): ${Math.round(perSecond)} orders/s, worst p99 ${p99.toFixed(1)} ms, errors ${errors}; ` +
          `CPU cores used: API ${(cpu.api / cpu.wall).toFixed(2)}, PostgreSQL ${(cpu.db / cpu.wall).toFixed(2)}, ` +
          `load gen ${(cpu.loadGen / cpu.wall).toFixed(2)}; per API core ${Math.round(total / cpu.api)}/s, ` +
          `per PostgreSQL core ${Math.round(total / cpu.db)}/s`,
      );
    }
    console.log(`\n## scaling (orders, one database, ${seconds} s per step)\n${rows.join('\n')}`);
    console.log(
      `  hello-world ceiling ${Math.round(ceilings.helloPerSecond)}/s, raw upsert ${Math.round(ceilings.rawUpsertTps)} tps`,
    );
  });
}

export const scenarios: Record<string, () => Promise<void>> = {
  orders: ordersScenario,
  sales: salesScenario,
  lookup: lookupScenario,
  opendata: openDataScenario,
  draw: drawScenario,
  notices: noticesScenario,
  outbox: outboxScenario,
  scaling: scalingScenario,
};
