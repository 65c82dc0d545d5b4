import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createSql, type Sql } from '../platform/db.js';
import { MIGRATIONS_DIR, migrate } from '../platform/migrate.js';

/**
 * Migration 0084 on a database written before it: payments stored on the order rows move to
 * `order_payments`, and every order reads as it did (paid, collected, awaiting payment, a
 * winner of the draw), with its serial still finding it.
 */
let sql: Sql;
let dir = '';
const dbName = `t_${randomBytes(6).toString('hex')}`;
const serverUrl = () => inject('serverUrl');

beforeAll(async () => {
  const admin = createSql(serverUrl(), { max: 1 });
  try {
    await admin.unsafe(`create database ${dbName}`);
  } finally {
    await admin.end();
  }
  sql = createSql(serverUrl().replace(/\/[^/]*$/, `/${dbName}`), { max: 2 });
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'migrations-0083-'));
  for (const file of await fs.readdir(MIGRATIONS_DIR)) {
    if (/^\d{4}_.+\.sql$/.test(file) && file < '0084') {
      await fs.copyFile(path.join(MIGRATIONS_DIR, file), path.join(dir, file));
    }
  }
});

afterAll(async () => {
  await sql?.end();
  await fs.rm(dir, { recursive: true, force: true });
  const admin = createSql(serverUrl(), { max: 1 });
  try {
    await admin.unsafe(`drop database if exists ${dbName}`);
  } finally {
    await admin.end();
  }
});

describe('migration 0084 (payments as rows of their own)', () => {
  it('moves stored payments to order_payments and keeps what every order reads as', async () => {
    const applied = await migrate(sql, dir);
    expect(applied.at(-1)).toBe('0083_bank_notices_append_only.sql');

    const [round] = await sql<{ id: number }[]>`
      insert into rounds (name, registration_opens_at, registration_closes_at, payment_opens_at, payment_closes_at,
                          pickup_starts_on, pickup_ends_on, supply_packs, created_at, drawn_at)
      values ('before 0084', '2020-03-12T09:00:00+08:00', '2020-03-18T20:00:00+08:00', '2020-03-19T09:00:00+08:00',
              '2020-03-25T20:00:00+08:00', '2020-03-26', '2020-04-01', 10, '2020-03-12T09:00:00+08:00',
              '2020-03-18T21:00:00+08:00')
      returning id`;
    const [store] = await sql<{ id: number }[]>`
      insert into stores (chain, store_no, name, address, city, district, created_at)
      values ('7-11', '000001', 'store', 'address', 'city', 'district', now()) returning id`;
    const people = await sql<{ id: number }[]>`
      insert into persons (national_id, name, birth_date, nationality, created_at)
      select 'sealed-' || g, 'name', '1980-01-01', 'TW', now() from generate_series(1, 5) g returning id`;
    const order = async (
      personId: number,
      state: string,
      payment?: { serial: string; method: 'atm' | 'card'; at: string },
      collectedAt?: string,
    ) => {
      const [row] = await sql<{ id: number }[]>`
        insert into orders (round_id, person_id, store_id, phone, email, channel, amount, state, submitted_at,
                            updated_at, paid_at, payment_method, pickup_serial, collected_at)
        values (${round?.id as number}, ${personId}, ${store?.id as number}, 'phone', 'email', 'web_card', 22,
                ${state}, now(), now(), ${payment?.at ?? null}, ${payment?.method ?? null},
                ${payment?.serial ?? null}, ${collectedAt ?? null})
        returning id`;
      return row?.id as number;
    };
    const [a, b, c, d, e] = people.map((p) => p.id) as number[];
    const paid = await order(a as number, 'paid', {
      serial: 'PAIDBYATM001',
      method: 'atm',
      at: '2020-03-20T10:00:00+08:00',
    });
    const collected = await order(
      b as number,
      'collected',
      { serial: 'PAIDBYCARD01', method: 'card', at: '2020-03-21T10:00:00+08:00' },
      '2020-03-27T10:00:00+08:00',
    );
    const waiting = await order(c as number, 'awaiting_payment');
    const winner = await order(d as number, 'registered');
    const loser = await order(e as number, 'registered');
    await sql`insert into draw_winners (round_id, order_id) values (${round?.id as number}, ${winner})`;

    // 0084 first; later migrations (0085 …) follow it.
    expect((await migrate(sql))[0]).toBe('0084_order_payments.sql');

    const payments = await sql<{ order_id: number; pickup_serial: string; method: string; paid_at: Date }[]>`
      select order_id, pickup_serial, method, paid_at from order_payments order by order_id`;
    expect(
      payments.map((p) => ({ ...p, order_id: Number(p.order_id), paid_at: p.paid_at.toISOString() })),
    ).toEqual([
      { order_id: paid, pickup_serial: 'PAIDBYATM001', method: 'atm', paid_at: '2020-03-20T02:00:00.000Z' },
      {
        order_id: collected,
        pickup_serial: 'PAIDBYCARD01',
        method: 'card',
        paid_at: '2020-03-21T02:00:00.000Z',
      },
    ]);
    const states = await sql<{ id: number; state: string }[]>`
      select id, emask_order_state(state, round_id, id) as state from orders order by id`;
    expect(new Map(states.map((s) => [Number(s.id), s.state]))).toEqual(
      new Map([
        [paid, 'paid'],
        [collected, 'collected'],
        [waiting, 'awaiting_payment'],
        [winner, 'awaiting_payment'],
        [loser, 'registered'],
      ]),
    );
    // `paid` is no longer stored: only a payment row says it.
    await expect(sql`update orders set state = 'paid' where id = ${waiting}`).rejects.toMatchObject({
      code: '23514',
    });
    const columns = await sql<{ column_name: string }[]>`
      select column_name from information_schema.columns
      where table_name = 'orders' and column_name in ('paid_at', 'payment_method', 'pickup_serial')`;
    expect(columns).toEqual([]);
  });
});
