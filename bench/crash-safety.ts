// Over 300 lines: one drill (load, kill, restart, audit) whose phases share the acknowledged-write ledger.
/**
 * Crash safety (issue 6 point 1; docs/RELIABILITY.md): concurrent order submissions, pharmacy
 * sales and bank notices against the API server in its own process; mid-load the server is
 * killed with SIGKILL (scenario "server") or the PostgreSQL postmaster is (scenario
 * "database"); then everything restarts and the database is checked:
 *
 * - every request that got a 2xx is in the database exactly once (found / lost / duplicated);
 * - nothing that was refused is half-written: a refused sale left no purchase, every purchase
 *   has its stock decrement and audit row (sold masks + remaining = initial, per pharmacy),
 *   every paid order has its serial, its bank notice and its SMS in the outbox;
 * - after recovery every outbox row is sent, and the SMTP/SMS sinks hold exactly one message
 *   per outbox row.
 *
 *   npm run crash-safety                # both scenarios, full size
 *   CRASH_SCALE=0.2 npm run crash-safety
 *   CRASH_SCENARIO=database npm run crash-safety   # or server
 *
 * test/robustness/crash.test.ts runs the "server" scenario small, in CI.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync } from 'node:fs';
import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createChallenge } from '../src/identity/challenges.js';
import { messageIdFor } from '../src/notifications/email.js';
import { createSession } from '../src/platform/auth.js';
import { loadConfig } from '../src/platform/config.js';
import { createSql, type Sql } from '../src/platform/db.js';
import { startEmbeddedPostgres } from '../src/platform/embedded-db.js';
import { migrate } from '../src/platform/migrate.js';
import { vaultFor } from '../src/platform/vault.js';
import { withCheckDigit } from '../src/rules/ids.js';
import { startBenchDb, startServer } from './lib.js';

const ADMIN_PASSWORD = 'bench-admin';
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVXYWZIO';

export interface CrashOptions {
  name: string;
  databaseUrl: string;
  fault: 'server' | 'database';
  orders: number;
  sales: number;
  transfers: number;
  pharmacies: number;
  /** Adult masks per pharmacy at the start (a pack is 3): fewer than the sales ask makes OUT_OF_STOCK. */
  stockPerPharmacy: number;
  concurrency: number;
  /** The fault strikes when this many answers have arrived. */
  faultAfter: number;
  /** Scenario "database": kill the postmaster with SIGKILL and start it again on the same port. */
  crashDatabase?: () => Promise<void>;
  log?: (line: string) => void;
}

export interface CrashSummary {
  name: string;
  fault: 'server' | 'database';
  requests: number;
  acknowledged: number;
  found: number;
  lost: number;
  duplicated: number;
  /** Answers that were not 2xx (refusals, 503s, broken connections), retries included. */
  errors: number;
  statuses: Record<string, number>;
  /** Refused requests whose effect is in the database anyway, and records missing a part. */
  halfWritten: number;
  stockMismatches: number;
  outbox: { rows: number; unsent: number; delivered: number; missing: number; duplicated: number };
  faultMs: number;
  ok: boolean;
}

interface Planned {
  kind: 'order' | 'sale' | 'transfer';
  /** Index into the kind's people. */
  who: number;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  /** Safe to send again after an unknown outcome (same Idempotency-Key, or a PUT). */
  retryable: boolean;
}

interface Outcome {
  status: number | 'socket';
  body: string;
}

/** One HTTP exchange; a broken connection is an outcome, not an exception. */
function send(
  agent: http.Agent,
  baseUrl: string,
  req: Omit<Planned, 'kind' | 'who' | 'retryable'>,
): Promise<Outcome> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve) => {
    const r = http.request(
      {
        agent,
        hostname,
        port,
        method: req.method,
        path: req.path,
        headers: { 'content-type': 'application/json', ...req.headers },
        timeout: 60_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', () => resolve({ status: 'socket', body: '' }));
      },
    );
    r.on('timeout', () => r.destroy(new Error('timeout')));
    r.on('error', () => resolve({ status: 'socket', body: '' }));
    r.end(req.body);
  });
}

async function api<T>(
  baseUrl: string,
  method: string,
  urlPath: string,
  body: unknown,
  token?: string,
): Promise<T> {
  const res = await fetch(`${baseUrl}${urlPath}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${urlPath}: ${res.status} ${text.slice(0, 300)}`);
  return (text ? JSON.parse(text) : {}) as T;
}

function nationalId(): string {
  const stem = `${LETTERS[randomInt(26)]}${randomInt(1, 3)}${String(randomInt(10_000_000)).padStart(7, '0')}`;
  return withCheckDigit(stem);
}

/** In batches of `width`, in order. */
async function inBatches<T, R>(
  items: readonly T[],
  width: number,
  fn: (item: T, i: number) => Promise<R>,
): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += width) {
    out.push(...(await Promise.all(items.slice(i, i + width).map((item, j) => fn(item, i + j)))));
  }
  return out;
}

interface Server {
  url: string;
  child: ChildProcess;
}

async function launch(databaseUrl: string): Promise<Server> {
  const s = await startServer(databaseUrl, {
    ADMIN_PASSWORD,
    CHALLENGE_RATE_LIMIT: '0',
    LOG_LEVEL: 'error',
  });
  return { url: s.url, child: s.child };
}

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

function stopGently(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Runs one crash scenario against `databaseUrl` (migrated, empty) and checks the outcome. */
export async function runCrashScenario(options: CrashOptions): Promise<CrashSummary> {
  const log = options.log ?? (() => undefined);
  const sql: Sql = createSql(options.databaseUrl, { max: 4 });
  let server = await launch(options.databaseUrl);
  try {
    // --- Setup through the API (and sessions/challenges straight into the database) ---------
    let admin = (
      await api<{ token: string }>(server.url, 'POST', '/api/v1/admin/login', {
        username: 'admin',
        password: ADMIN_PASSWORD,
      })
    ).token;
    const clock = (iso: string) => api(server.url, 'PUT', '/api/v1/sim/clock', { now: iso });
    await clock('2020-03-02T10:00:00+08:00');
    const paymentRound = await api<{ id: number }>(
      server.url,
      'POST',
      '/api/v1/admin/rounds',
      {
        name: 'crash: payment round',
        registrationOpensAt: '2020-03-01T00:00:00+08:00',
        registrationClosesAt: '2020-03-05T20:00:00+08:00',
        paymentOpensAt: '2020-03-06T09:00:00+08:00',
        paymentClosesAt: '2020-03-20T20:00:00+08:00',
        pickupStartsOn: '2020-03-21',
        pickupEndsOn: '2020-03-27',
        supplyPacks: 10_000_000,
      },
      admin,
    );
    const orderRound = await api<{ id: number }>(
      server.url,
      'POST',
      '/api/v1/admin/rounds',
      {
        name: 'crash: registration round',
        registrationOpensAt: '2020-03-12T09:00:00+08:00',
        registrationClosesAt: '2020-03-18T20:00:00+08:00',
        paymentOpensAt: '2020-03-19T09:00:00+08:00',
        paymentClosesAt: '2020-03-25T20:00:00+08:00',
        pickupStartsOn: '2020-03-26',
        pickupEndsOn: '2020-04-01',
        supplyPacks: 10_000_000,
      },
      admin,
    );
    const stores = await inBatches([0, 1, 2, 3], 4, (_, i) =>
      api<{ id: number }>(
        server.url,
        'POST',
        '/api/v1/admin/stores',
        {
          chain: (['7-11', 'FamilyMart', 'Hi-Life', 'OK'] as const)[i],
          storeNo: `crash${i}${randomInt(1e6)}`,
          name: `門市 ${i}`,
          address: '臺北市中正區忠孝西路一段49號',
          city: '臺北市',
          district: '中正區',
        },
        admin,
      ),
    );
    const pharmacies = await inBatches(Array.from({ length: options.pharmacies }), 8, async (_, i) => {
      const p = await api<{ code: string; apiKey: string }>(
        server.url,
        'POST',
        '/api/v1/admin/pharmacies',
        {
          code: `58${String(randomInt(1e6)).padStart(6, '0')}${String(i % 100).padStart(2, '0')}`,
          name: `藥局 ${i}`,
          address: '臺北市大安區信義路四段1號',
          phone: '(02)27001234',
        },
        admin,
      );
      await api(
        server.url,
        'PUT',
        `/api/v1/pharmacies/${p.code}/stock`,
        { adult: options.stockPerPharmacy, child: 0 },
        p.apiKey,
      );
      return p;
    });
    const issue = (n: number) =>
      inBatches(Array.from({ length: n }), 16, async () => {
        const card = await api<{ cardNo: string; privateKeyPem: string; personId: number }>(
          server.url,
          'POST',
          '/api/v1/admin/cards',
          { nationalId: nationalId(), name: '壓測民眾', birthDate: '1980-01-01', nationality: 'TW' },
          admin,
        );
        return card;
      });
    const orderPeople = await issue(options.orders);
    const salePeople = await issue(options.sales);
    const payPeople = await issue(options.transfers);
    log(
      `setup: ${orderPeople.length + salePeople.length + payPeople.length} cards, ${pharmacies.length} pharmacies`,
    );

    // Selected orders awaiting payment: ordered on 3/2, drawn on 3/6 (supply covers all).
    const march2 = new Date('2020-03-02T10:00:00+08:00');
    await inBatches(payPeople, 16, async (p) => {
      const token = await createSession(
        sql,
        { kind: 'citizen', personId: p.personId, channel: 'web_card' },
        march2,
      );
      await api(
        server.url,
        'PUT',
        `/api/v1/rounds/${paymentRound.id}/order`,
        {
          storeId: stores[0]?.id,
          phone: `09${String(randomInt(1e8)).padStart(8, '0')}`,
          email: `pay${p.personId}@example.tw`,
        },
        token,
      );
    });
    await clock('2020-03-06T10:00:00+08:00');
    admin = (
      await api<{ token: string }>(server.url, 'POST', '/api/v1/admin/login', {
        username: 'admin',
        password: ADMIN_PASSWORD,
      })
    ).token;
    await api(server.url, 'POST', `/api/v1/admin/rounds/${paymentRound.id}/draw`, { seed: 'c0ffee' }, admin);
    const accounts = new Map(
      (
        await sql<{ person_id: number; virtual_account: string }[]>`
        select person_id, emask_order_account(virtual_account, state, round_id, id) as virtual_account
        from orders where round_id = ${paymentRound.id}`
      ).map((r) => [r.person_id, r.virtual_account]),
    );

    // The load happens on Sunday 3/15: registration open, payment open, every ID may buy.
    await clock('2020-03-15T10:00:00+08:00');
    const march15 = new Date('2020-03-15T10:00:00+08:00');
    const orderTokens = await inBatches(orderPeople, 32, (p) =>
      createSession(sql, { kind: 'citizen', personId: p.personId, channel: 'web_card' }, march15),
    );
    const { signNonce } = await import('../test/support/factories.js');
    // The API process's own vault (the demo keys of its default configuration) knows these nonces.
    const vault = vaultFor(loadConfig());
    const saleBodies = await inBatches(salePeople, 32, async (p) => {
      const c = createChallenge(vault, march15);
      return JSON.stringify({
        cardNo: p.cardNo,
        challengeId: c.challengeId,
        cardSignature: signNonce(p.privateKeyPem, c.nonce),
        item: 'adult',
      });
    });
    const initialStock = options.stockPerPharmacy;

    const plan: Planned[] = [
      ...orderPeople.map(
        (p, i): Planned => ({
          kind: 'order',
          who: i,
          method: 'PUT',
          path: `/api/v1/rounds/${orderRound.id}/order`,
          headers: { authorization: `Bearer ${orderTokens[i]}` },
          body: JSON.stringify({
            storeId: stores[i % stores.length]?.id,
            phone: `09${String(p.personId).padStart(8, '0')}`,
            email: `order${p.personId}@example.tw`,
          }),
          retryable: true,
        }),
      ),
      ...salePeople.map((_, i): Planned => {
        const pharmacy = pharmacies[i % pharmacies.length];
        return {
          kind: 'sale',
          who: i,
          method: 'POST',
          path: `/api/v1/pharmacies/${pharmacy?.code}/sales`,
          headers: { authorization: `Bearer ${pharmacy?.apiKey}`, 'idempotency-key': `crash-sale-${i}` },
          body: saleBodies[i] ?? '',
          retryable: true,
        };
      }),
      ...payPeople.map(
        (p, i): Planned => ({
          kind: 'transfer',
          who: i,
          method: 'POST',
          path: '/api/v1/sim/bank/transfers',
          headers: {},
          body: JSON.stringify({ toAccount: accounts.get(p.personId), amount: 22 }),
          // A second transfer is a second payment attempt, not a retry: never resent.
          retryable: false,
        }),
      ),
    ];
    for (let i = plan.length - 1; i > 0; i--) {
      const j = randomInt(i + 1);
      [plan[i], plan[j]] = [plan[j] as Planned, plan[i] as Planned];
    }

    // --- The load, with the fault in the middle ----------------------------------------------
    const outcomes: Outcome[][] = plan.map(() => []);
    let agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
    let gate: Promise<void> = Promise.resolve();
    let answered = 0;
    let faulted = false;
    let faultMs = 0;
    let next = 0;
    const fault = async () => {
      const t0 = performance.now();
      if (options.fault === 'server') {
        let open: () => void = () => undefined;
        gate = new Promise((r) => {
          open = r;
        });
        log(`fault: SIGKILL the server (pid ${server.child.pid}) after ${answered} answers`);
        await killHard(server.child);
        agent.destroy();
        server = await launch(options.databaseUrl);
        agent = new http.Agent({ keepAlive: true, maxSockets: options.concurrency });
        open();
      } else {
        log(`fault: SIGKILL the database after ${answered} answers`);
        await options.crashDatabase?.();
      }
      faultMs = performance.now() - t0;
      log(`recovered in ${Math.round(faultMs)} ms`);
    };
    let faultDone: Promise<void> = Promise.resolve();
    const worker = async () => {
      for (;;) {
        const i = next++;
        const req = plan[i];
        if (!req) return;
        await gate;
        outcomes[i]?.push(await send(agent, server.url, req));
        answered += 1;
        if (!faulted && answered >= options.faultAfter) {
          faulted = true;
          faultDone = fault();
        }
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    await faultDone;

    // Clients retry what they may: the same PUT, the same sale with its Idempotency-Key.
    const unknown = (o: Outcome | undefined) => o === undefined || o.status === 'socket' || o.status >= 500;
    for (let attempt = 0; attempt < 90; attempt++) {
      const again = plan
        .map((p, i) => ({ p, i }))
        .filter(({ p, i }) => p.retryable && unknown(outcomes[i]?.at(-1)));
      if (again.length === 0) break;
      if (attempt > 0) await new Promise((r) => setTimeout(r, 1_000));
      await inBatches(again, options.concurrency, async ({ p, i }) => {
        outcomes[i]?.push(await send(agent, server.url, p));
      });
    }
    agent.destroy();

    // --- Let the outbox drain, then check ---------------------------------------------------
    for (let i = 0; i < 240; i++) {
      const [row] = await sql<{ n: number }[]>`
        select count(*)::int as n from outbox where sent_at is null and given_up_at is null`;
      if ((row?.n ?? 0) === 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }

    const statuses: Record<string, number> = {};
    let errors = 0;
    for (const list of outcomes) {
      for (const o of list) {
        statuses[String(o.status)] = (statuses[String(o.status)] ?? 0) + 1;
        if (o.status === 'socket' || o.status < 200 || o.status >= 300) errors += 1;
      }
    }
    const acked = (i: number) =>
      outcomes[i]?.find((o) => o.status !== 'socket' && o.status >= 200 && o.status < 300);
    const refusedOnly = (i: number) =>
      (outcomes[i] ?? []).length > 0 &&
      (outcomes[i] ?? []).every((o) => o.status !== 'socket' && o.status >= 400 && o.status < 500);

    const orderRows = new Map(
      (
        await sql<{ person_id: number; store_id: number; n: number }[]>`
        select person_id, max(store_id) as store_id, count(*)::int as n from orders
        where round_id = ${orderRound.id} group by person_id`
      ).map((r) => [r.person_id, r]),
    );
    const purchases = await sql<{ id: number; person_id: number; place_ref: string; masks: number }[]>`
      select id, person_id, place_ref, masks from purchases where channel = 'pharmacy'`;
    type PurchaseRow = { id: number; person_id: number; place_ref: string; masks: number };
    const purchasesOf = new Map<number, PurchaseRow[]>();
    for (const p of purchases) purchasesOf.set(p.person_id, [...(purchasesOf.get(p.person_id) ?? []), p]);
    const paid = new Map(
      (
        await sql<
          {
            person_id: number;
            id: number;
            state: string;
            pickup_serial: string | null;
            notices: number;
            sms: number;
          }[]
        >`
        select o.person_id, o.id, emask_order_state(o.state, o.round_id, o.id) as state,
          (select op.pickup_serial from order_payments op where op.order_id = o.id) as pickup_serial,
          (select count(*)::int from bank_notices b where b.order_id = o.id and b.matched) as notices,
          (select count(*)::int from outbox x where x.dedupe_key = 'pickup-serial:' || o.id) as sms
        from orders o where o.round_id = ${paymentRound.id}`
      ).map((r) => [r.person_id, r]),
    );

    let acknowledged = 0;
    let found = 0;
    let lost = 0;
    let duplicated = 0;
    let halfWritten = 0;
    plan.forEach((p, i) => {
      const ack = acked(i);
      if (p.kind === 'order') {
        const person = orderPeople[p.who];
        const row = person ? orderRows.get(person.personId) : undefined;
        if ((row?.n ?? 0) > 1) duplicated += 1;
        if (ack) {
          acknowledged += 1;
          const storeId = (JSON.parse(p.body) as { storeId: number }).storeId;
          if (row && row.store_id === storeId) found += 1;
          else lost += 1;
        } else if (refusedOnly(i) && row) halfWritten += 1;
      } else if (p.kind === 'sale') {
        const person = salePeople[p.who];
        const mine = person ? (purchasesOf.get(person.personId) ?? []) : [];
        if (mine.length > 1) duplicated += 1;
        if (ack) {
          acknowledged += 1;
          const saleId = (JSON.parse(ack.body) as { saleId: number }).saleId;
          if (mine.length === 1 && mine[0]?.id === saleId) found += 1;
          else lost += 1;
        } else if (refusedOnly(i) && mine.length > 0) halfWritten += 1;
      } else {
        const person = payPeople[p.who];
        const row = person ? paid.get(person.personId) : undefined;
        if ((row?.notices ?? 0) > 1 || (row?.sms ?? 0) > 1) duplicated += 1;
        if (ack && (JSON.parse(ack.body) as { matched?: boolean }).matched) {
          acknowledged += 1;
          if (row?.state === 'paid' && row.notices === 1) found += 1;
          else lost += 1;
        } else if (ack) {
          acknowledged += 1;
          lost += 1;
        } else if (refusedOnly(i) && row?.state === 'paid') halfWritten += 1;
      }
    });
    // Records missing a part, whatever their request got: a paid order without serial, notice or SMS.
    for (const row of paid.values()) {
      if (row.state === 'paid' && (!row.pickup_serial || row.notices !== 1 || row.sms !== 1))
        halfWritten += 1;
    }
    const [unaudited] = await sql<{ n: number }[]>`
      select count(*)::int as n from purchases p where p.channel = 'pharmacy' and not exists (
        select 1 from audit_log a where a.action = 'pharmacy.sale' and a.subject = 'purchase:' || p.id)`;
    halfWritten += unaudited?.n ?? 0;

    let stockMismatches = 0;
    const stock = await sql<
      { code: string; adult_stock: number }[]
    >`select code, adult_stock from pharmacies`;
    for (const ph of stock) {
      const sold = purchases.filter((p) => p.place_ref === ph.code).reduce((n, p) => n + p.masks, 0);
      if (sold + ph.adult_stock !== initialStock) stockMismatches += 1;
    }

    const rows = await sql<{ id: number; channel: 'email' | 'sms'; sent: boolean }[]>`
      select id, channel, sent_at is not null as sent from outbox`;
    const received = new Map<string, number>();
    for (const m of await sql<{ message_key: string }[]>`select message_key from sim_messages`) {
      received.set(m.message_key, (received.get(m.message_key) ?? 0) + 1);
    }
    const outbox = { rows: rows.length, unsent: 0, delivered: 0, missing: 0, duplicated: 0 };
    for (const r of rows) {
      if (!r.sent) outbox.unsent += 1;
      const n = received.get(r.channel === 'sms' ? `sms:${r.id}` : messageIdFor(r.id)) ?? 0;
      if (n === 1) outbox.delivered += 1;
      else if (n === 0) outbox.missing += 1;
      else outbox.duplicated += 1;
    }
    const strays = [...received.values()].reduce((a, b) => a + b, 0) - outbox.delivered - outbox.duplicated;
    outbox.duplicated += Math.max(0, strays);

    const summary: CrashSummary = {
      name: options.name,
      fault: options.fault,
      requests: plan.length,
      acknowledged,
      found,
      lost,
      duplicated,
      errors,
      statuses,
      halfWritten,
      stockMismatches,
      outbox,
      faultMs: Math.round(faultMs),
      ok:
        faulted &&
        lost === 0 &&
        duplicated === 0 &&
        halfWritten === 0 &&
        stockMismatches === 0 &&
        outbox.unsent === 0 &&
        outbox.missing === 0 &&
        outbox.duplicated === 0 &&
        found === acknowledged,
    };
    return summary;
  } finally {
    await stopGently(server.child);
    await sql.end({ timeout: 5 });
  }
}

export function formatSummary(s: CrashSummary): string {
  return [
    `## ${s.name} (fault: ${s.fault}, recovered in ${s.faultMs} ms)`,
    `  requests      ${s.requests}`,
    `  acknowledged  ${s.acknowledged}`,
    `  found         ${s.found}`,
    `  lost          ${s.lost}`,
    `  duplicated    ${s.duplicated}`,
    `  errors        ${s.errors}   ${JSON.stringify(s.statuses)}`,
    `  half-written  ${s.halfWritten}`,
    `  stock         ${s.stockMismatches} pharmacies where sold + remaining ≠ initial`,
    `  outbox        ${s.outbox.rows} rows, ${s.outbox.unsent} unsent, ${s.outbox.delivered} delivered once, ${s.outbox.missing} missing, ${s.outbox.duplicated} duplicated`,
    `  verdict       ${s.ok ? 'OK' : 'FAILED'}`,
  ].join('\n');
}

/** Scenario "database": our own durable cluster, so its postmaster can be killed and restarted. */
async function databaseScenario(scale: (n: number) => number): Promise<CrashSummary> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rationing-crash-'));
  await fs.chmod(dir, 0o755);
  const port = await (await import('../src/platform/embedded-db.js')).freePort();
  let db = await startEmbeddedPostgres({ dataDir: dir, port });
  const setup = createSql(db.url, { max: 1 });
  await migrate(setup);
  await setup.end();
  try {
    return await runCrashScenario({
      name: 'database killed mid-load',
      databaseUrl: db.url,
      fault: 'database',
      ...sizes(scale),
      log: (l) => console.log(`  ${l}`),
      crashDatabase: async () => {
        const pidFile = path.join(dir, 'pg', 'postmaster.pid');
        const pid = Number.parseInt((await fs.readFile(pidFile, 'utf8')).split('\n')[0] ?? '', 10);
        process.kill(pid, 'SIGKILL');
        // The backends notice their postmaster's death and exit; then the cluster starts again
        // (crash recovery replays the WAL) on the same port, and the server reconnects by itself.
        await new Promise((r) => setTimeout(r, 1_500));
        await spawnWait('sh', [
          '-c',
          `for i in $(seq 1 50); do pgrep -f "${path.join(dir, 'pg')}" >/dev/null || exit 0; sleep 0.1; done`,
        ]);
        if (existsSync(pidFile)) await fs.rm(pidFile, { force: true });
        db = await startEmbeddedPostgres({ dataDir: dir, port });
      },
    });
  } finally {
    await db.stop().catch(() => undefined);
    await fs.rm(dir, { recursive: true, force: true });
  }
}

function spawnWait(command: string, args: string[]): Promise<void> {
  return new Promise((resolve) => {
    spawn(command, args, { stdio: 'ignore' }).once('exit', () => resolve());
  });
}

function sizes(scale: (n: number) => number) {
  return {
    orders: scale(1500),
    sales: scale(1200),
    transfers: scale(800),
    pharmacies: scale(40),
    // 1200 sales over 40 pharmacies = 30 each, 3 masks each; 75 masks = 25 packs: some run out.
    stockPerPharmacy: 75,
    concurrency: 32,
    faultAfter: scale(1400),
  };
}

async function main(): Promise<number> {
  const factor = Number(process.env.CRASH_SCALE ?? '1');
  const scale = (n: number) => Math.max(1, Math.round(n * factor));
  const summaries: CrashSummary[] = [];

  console.log('# Crash safety (docs/RELIABILITY.md)');
  const only = process.env.CRASH_SCENARIO;
  if (only !== 'database') {
    const bench = await startBenchDb();
    try {
      const s = await runCrashScenario({
        name: 'server SIGKILLed mid-load',
        databaseUrl: bench.url,
        fault: 'server',
        ...sizes(scale),
        log: (l) => console.log(`  ${l}`),
      });
      console.log(formatSummary(s));
      summaries.push(s);
    } finally {
      await bench.stop();
    }
  }
  if (only !== 'server') {
    const d = await databaseScenario(scale);
    console.log(formatSummary(d));
    summaries.push(d);
  }
  return summaries.every((s) => s.ok) ? 0 : 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
