/**
 * Bench data: people, cards, pharmacies and stores from the national generator
 * (src/demo/national.ts, docs/DEMO.md), and what a scenario needs on top of them written
 * straight into the database in bulk (sessions, rounds, orders, outbox rows): a benchmark
 * measures one capability, not the set-up of the others.
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { generateNational, type NationalKeys, nationalIdAt } from '../src/demo/national.js';
import { loadConfig } from '../src/platform/config.js';
import type { Sql } from '../src/platform/db.js';
import { vaultFor } from '../src/platform/vault.js';

/** The keys the bench's API servers use (their environment is this process's, demo keys by default). */
export const benchVault = vaultFor(loadConfig());

/**
 * Personal data as the platform stores it (sealed), for rows written in bulk by SQL: one sealed
 * value shared by all rows costs the same to store, copy and open as a value per row.
 */
/** The phone of every bulk order (sealed): look-ups give its last 3 digits. */
export const SEALED_SAMPLE_PHONE = '0912345678';

export const sealedSample = {
  phone: benchVault.seal('phone', SEALED_SAMPLE_PHONE),
  email: benchVault.seal('email', 'bench@example.com'),
  nationalId: benchVault.seal('national_id', 'Q000000000'),
  name: benchVault.seal('name', 'bench'),
};

export interface NationalData {
  keys: NationalKeys;
  /** persons.id of person index 0; person i has id firstPersonId + i. */
  firstPersonId: number;
  storeIds: number[];
}

export async function seedNational(
  sql: Sql,
  url: string,
  people: number,
  options: { pharmacies?: number; stores?: number } = {},
): Promise<NationalData> {
  const t0 = performance.now();
  const report = await generateNational({
    databaseUrl: url,
    people,
    pharmacies: options.pharmacies ?? 6000,
    stores: options.stores ?? 10_000,
    vault: benchVault,
    log: () => undefined,
  });
  for (const t of report.tables) console.log(`  data: ${t.table} ${t.rows} rows, ${t.rowsPerSecond} rows/s`);
  const [first] = await sql<
    { id: number }[]
  >`select id from persons where national_id_index = ${benchVault.index('national_id', nationalIdAt(0))}`;
  const stores = await sql<{ id: number }[]>`select id from stores where closed_at is null order by id`;
  console.log(`  data: national generator ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { keys: report.keys, firstPersonId: first?.id ?? 1, storeIds: stores.map((s) => s.id) };
}

/** The bearer token of person `personId`'s bench session (its hash is in `sessions`). */
export const benchToken = (personId: number) => `cit_bench_${personId}`;

/** One live web_card session per person in [first, first + count), tokens `benchToken(id)`. */
export async function createBenchSessions(sql: Sql, first: number, count: number, now: Date): Promise<void> {
  const t0 = performance.now();
  const expires = new Date(now.getTime() + 24 * 3600 * 1000);
  await sql`
    insert into sessions (token_hash, kind, person_id, channel, created_at, last_used_at, expires_at)
    select sha256(convert_to('cit_bench_' || id, 'UTF8')), 'citizen', id, 'web_card', ${now}, ${now}, ${expires}
    from persons where id >= ${first} and id < ${first + count}`;
  console.log(`  data: ${count} sessions in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  // Sanity: the SQL hash is the platform's tokenHash.
  const [row] = await sql<{ h: Buffer }[]>`select token_hash as h from sessions where person_id = ${first}`;
  const expected = createHash('sha256').update(benchToken(first)).digest();
  if (!row?.h.equals(expected)) throw new Error('bench session hash differs from tokenHash');
}

export interface RoundWindows {
  registrationOpensAt: string;
  registrationClosesAt: string;
  paymentOpensAt: string;
  paymentClosesAt: string;
}

/** Round 1 of 2020 (docs/DEMO.md), registration open at the manual clock's start. */
export const ROUND_1: RoundWindows = {
  registrationOpensAt: '2020-03-12T09:00:00+08:00',
  registrationClosesAt: '2020-03-18T20:00:00+08:00',
  paymentOpensAt: '2020-03-19T09:00:00+08:00',
  paymentClosesAt: '2020-03-25T20:00:00+08:00',
};

export async function createRound(sql: Sql, w: RoundWindows, supplyPacks: number): Promise<number> {
  const [row] = await sql<{ id: number }[]>`
    insert into rounds (name, registration_opens_at, registration_closes_at, payment_opens_at, payment_closes_at,
                        pickup_starts_on, pickup_ends_on, supply_packs, created_at)
    values ('bench', ${w.registrationOpensAt}, ${w.registrationClosesAt}, ${w.paymentOpensAt}, ${w.paymentClosesAt},
            '2020-03-26', '2020-04-01', ${supplyPacks}, ${w.registrationOpensAt})
    returning id`;
  if (!row) throw new Error('no round');
  return row.id;
}

/**
 * `count` orders of persons [first, first + count) in bulk, with explicit ids from `firstOrderId`
 * (so virtual accounts can be written in the same statement), state as given.
 */
export async function bulkOrders(
  sql: Sql,
  options: {
    roundId: number;
    firstPersonId: number;
    count: number;
    storeIds: number[];
    state: 'registered' | 'awaiting_payment';
    at: string;
  },
): Promise<{ firstOrderId: number }> {
  const t0 = performance.now();
  const [base] = await sql<{ n: number }[]>`select coalesce(max(id), 0) + 1 as n from orders`;
  const first = base?.n ?? 1;
  const stores = options.storeIds;
  const chunk = 1_000_000;
  for (let done = 0; done < options.count; done += chunk) {
    const n = Math.min(chunk, options.count - done);
    await sql`
      insert into orders (id, round_id, person_id, store_id, phone, email, channel, amount, state,
                          submitted_at, updated_at, virtual_account)
      overriding system value
      select ${first + done} + g, ${options.roundId}, ${options.firstPersonId + done} + g,
             (${sql.array(stores.map(String))}::text[]::int8[])[1 + (g % ${stores.length})],
             ${sealedSample.phone}, ${sealedSample.email}, 'web_card', 22, ${options.state},
             ${options.at}, ${options.at},
             case when ${options.state} = 'awaiting_payment'
                  then emask_virtual_account(${options.roundId}, ${first + done} + g) end
      from generate_series(0, ${n - 1}) g`;
  }
  await sql`select setval(pg_get_serial_sequence('orders', 'id'), ${first + options.count})`;
  console.log(
    `  data: ${options.count} ${options.state} orders in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  return { firstOrderId: first };
}

/** `count` people without cards, straight into `persons` (the draw needs only orders). */
export async function bulkPersons(sql: Sql, count: number): Promise<number> {
  const t0 = performance.now();
  const [base] = await sql<{ n: number }[]>`select coalesce(max(id), 0) + 1 as n from persons`;
  const first = base?.n ?? 1;
  const chunk = 2_000_000;
  for (let done = 0; done < count; done += chunk) {
    const n = Math.min(chunk, count - done);
    await sql`
      insert into persons (id, national_id, name, birth_date, nationality, created_at)
      overriding system value
      select ${first + done} + g, ${sealedSample.nationalId}, ${sealedSample.name}, '1980-01-01', 'TW',
             '2020-03-01T00:00:00+08:00'
      from generate_series(0, ${n - 1}) g`;
  }
  await sql`select setval(pg_get_serial_sequence('persons', 'id'), ${first + count})`;
  console.log(`  data: ${count} persons in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return first;
}
