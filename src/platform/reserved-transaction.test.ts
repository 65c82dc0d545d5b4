import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/app.js';
import { createSql, type Sql } from './db.js';

let sql: Sql;
beforeAll(async () => {
  sql = createSql(await createTestDatabase(), { max: 20 });
  await sql`create table tx_probe (tx int8 not null, n int not null)`;
});
afterAll(() => sql.end());

const count = async (db: Sql) =>
  (await db<{ n: number }[]>`select count(*)::int as n from tx_probe`)[0]?.n ?? 0;

/**
 * One request of the shape that met postgres.js #823 under a burst of order look-ups: two
 * statements at once on the pool, then a transaction of several statements.
 */
async function request(i: number): Promise<{ inside: number[]; outside: number }> {
  const [, [plain]] = await Promise.all([
    sql`select pg_advisory_lock_shared(1), pg_advisory_unlock_shared(1)`,
    sql<{ id: number }[]>`select txid_current() as id`,
  ]);
  const inside = await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(727274099, ${i % 10})`;
    const ids: number[] = [];
    for (let k = 0; k < 3; k++) {
      const [row] = await tx<{ id: number }[]>`select txid_current() as id`;
      ids.push(row?.id ?? -1);
      await tx`insert into tx_probe (tx, n) values (${row?.id ?? -1}, ${k})`;
    }
    return ids;
  });
  return { inside, outside: plain?.id ?? -1 };
}

describe('transactions under a burst on a saturated pool (postgres.js #823)', () => {
  it('never fail with UNSAFE_TRANSACTION, stay one transaction each, and never take in another request’s statement', async () => {
    for (let burst = 0; burst < 4; burst++) {
      await sql`truncate tx_probe`;
      const settled = await Promise.allSettled(Array.from({ length: 1000 }, (_, i) => request(i)));
      const failures = settled.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : []));
      expect(failures.slice(0, 3)).toEqual([]);
      const done = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
      const transactions = new Set<number>();
      for (const { inside } of done) {
        expect(new Set(inside).size).toBe(1);
        transactions.add(inside[0] as number);
      }
      expect(transactions.size).toBe(1000);
      for (const { outside } of done) expect(transactions.has(outside)).toBe(false);
      expect(await count(sql)).toBe(3000);
    }
  });

  it('rolls back on a throw, keeps a savepoint’s rollback to itself, and never reports a transaction whose statement failed as committed', async () => {
    await sql`truncate tx_probe`;
    await expect(
      sql.begin(async (tx) => {
        await tx`insert into tx_probe (tx, n) values (1, 1)`;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    await sql.begin(async (tx) => {
      await tx`insert into tx_probe (tx, n) values (2, 2)`;
      await tx
        .savepoint(async (sp) => {
          await sp`insert into tx_probe (tx, n) values (3, 3)`;
          throw new Error('inner');
        })
        .catch(() => undefined);
    });
    await expect(
      sql.begin(async (tx) => {
        await tx`insert into tx_probe (tx, n) values (4, 4)`;
        await tx`select 1/0`.catch(() => undefined);
      }),
    ).rejects.toHaveProperty('code');
    const rows = await sql<{ n: number }[]>`select n from tx_probe order by n`;
    expect(rows.map((r) => r.n)).toEqual([2]);
  });
});
