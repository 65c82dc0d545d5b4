/**
 * `npx tsx bench/explain.ts [people]`: EXPLAIN (ANALYZE, BUFFERS) of the hot statements on a
 * bench database (default 500,000 people with orders and sessions): the batched session
 * look-up, the batched order upsert (rolled back), the public order look-up, and the draw's
 * ranking with the hash pre-filter. The database side of "profile before optimising".
 */
import { createHash } from 'node:crypto';
import { prefilterBound } from '../src/draw/draw.repo.js';
import {
  benchToken,
  bulkOrders,
  bulkPersons,
  createBenchSessions,
  createRound,
  ROUND_1,
  seedNational,
} from './data.js';
import { envInt, startBenchDb } from './lib.js';

const people = Number(process.argv[2] ?? envInt('BENCH_EXPLAIN_PEOPLE', 500_000));
const db = await startBenchDb();
try {
  const data = await seedNational(db.sql, db.url, 0, { pharmacies: 0 });
  const first = await bulkPersons(db.sql, people);
  const roundId = await createRound(db.sql, ROUND_1, Math.floor(people / 10));
  await bulkOrders(db.sql, {
    roundId,
    firstPersonId: first,
    count: people,
    storeIds: data.storeIds,
    state: 'registered',
    at: ROUND_1.registrationOpensAt,
  });
  await createBenchSessions(db.sql, first, people, new Date(ROUND_1.registrationOpensAt));
  await db.sql`vacuum analyze`;
  const explain = async (title: string, text: string, params: unknown[]) => {
    const rows = await db.sql
      .begin(async (tx) => {
        const plan = await tx.unsafe(`explain (analyze, buffers, costs off) ${text}`, params as never[]);
        await tx`rollback`.catch(() => undefined);
        return plan;
      })
      .catch((e: unknown) => {
        if (String(e).includes('rollback')) return [];
        throw e;
      });
    console.log(`\n## ${title}`);
    for (const r of rows as unknown as { 'QUERY PLAN': string }[]) console.log(`  ${r['QUERY PLAN']}`);
  };
  const hashes = Array.from({ length: 50 }, (_, i) =>
    createHash('sha256')
      .update(benchToken(first + i * 997))
      .digest('hex'),
  );
  await explain(
    'session look-up, 50 tokens in one statement',
    `select token_hash, kind, person_id, admin_username, channel, device_id, last_used_at, expires_at
     from sessions where token_hash = any(array(select decode(h, 'hex') from unnest($1::text[]) h))
       and revoked_at is null`,
    [hashes],
  );
  const n = 100;
  const ids = Array.from({ length: n }, (_, i) => String(first + i * 13));
  await explain(
    `order upsert, ${n} submissions in one statement (rolled back)`,
    `with i as (
      select * from unnest($1::text[]::int8[], $2::text[]::int8[], $3::text[]::int8[], $4::text[], $5::text[],
                           $6::text[], $7::text[]::timestamptz[])
        with ordinality as t (round_id, person_id, store_id, phone, email, channel, now, n)
    ), r as (
      select id, registration_opens_at, registration_closes_at, drawn_at from rounds
      where id in (select round_id from i) order by id for key share
    ), s as (select id, closed_at is null as open from stores where id in (select store_id from i)
    ), v as (
      select i.*, r.drawn_at is null and r.registration_opens_at <= i.now and i.now < r.registration_closes_at
               as round_open, s.open as store_open
      from i left join r on r.id = i.round_id left join s on s.id = i.store_id
    ), last as (
      select distinct on (round_id, person_id) * from v where round_open and store_open
      order by round_id, person_id, n desc
    ), up as (
      insert into orders (round_id, person_id, store_id, phone, email, channel, amount, submitted_at, updated_at)
      select round_id, person_id, store_id, phone, email, channel, 22, now, now from last
      order by round_id, person_id
      on conflict (round_id, person_id) do update set store_id = excluded.store_id, phone = excluded.phone,
        email = excluded.email, channel = excluded.channel, amount = excluded.amount,
        submitted_at = excluded.submitted_at, updated_at = excluded.updated_at
      where orders.state = 'registered'
      returning id, round_id, person_id, state, amount
    )
    select v.n, up.id from v left join up on up.round_id = v.round_id and up.person_id = v.person_id`,
    [
      ids.map(() => String(roundId)),
      ids,
      ids.map((_, k) => String(data.storeIds[k % data.storeIds.length])),
      ids.map(() => '0912345678'),
      ids.map(() => 'x@example.com'),
      ids.map(() => 'web_card'),
      ids.map(() => '2020-03-12T02:00:00Z'),
    ],
  );
  const who = first + 4242;
  await explain(
    'public order look-up (national ID + last 3 digits)',
    `select o.id, o.state, r.name, s.name from persons p join orders o on o.person_id = p.id
       join rounds r on r.id = o.round_id join stores s on s.id = o.store_id
     where p.national_id = $1 and right(o.phone, 3) = $2 order by r.registration_opens_at, o.id`,
    [
      `Q${String(who).padStart(9, '0')}`,
      String(who % 100_000_000)
        .padStart(8, '0')
        .slice(-3),
    ],
  );
  const k = Math.floor(people / 10);
  await explain(
    `draw ranking with the hash pre-filter (${people} orders, ${k} winners)`,
    `select id from (select id, emask_draw_key($1::bytea, id) as key from orders
                     where round_id = $2 and state = 'registered') x
     where key <= $3::bytea order by key, id limit $4`,
    [Buffer.from('c0ffee', 'hex'), roundId, prefilterBound(k, people), k],
  );
  await explain(
    'draw ranking without the pre-filter',
    `select id from orders where round_id = $2 and state = 'registered'
     order by emask_draw_key($1::bytea, id), id limit $3`,
    [Buffer.from('c0ffee', 'hex'), roundId, k],
  );
} finally {
  await db.stop();
}
process.exit(0);
