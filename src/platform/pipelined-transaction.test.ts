import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/app.js';
import { createSql, type Sql } from './db.js';
import { pipelinedTransaction } from './pipelined-transaction.js';
import { connectionGone } from './reserved-transaction.js';

// One connection in the pool: whatever a transaction leaves behind on it, the next caller meets.
let sql: Sql;
let other: Sql;
beforeAll(async () => {
  const url = await createTestDatabase();
  sql = createSql(url, { max: 1 });
  other = createSql(url, { max: 1 });
  await sql`create table pipe_probe (n int not null)`;
});
afterAll(() => Promise.all([sql.end(), other.end()]));

const rows = async (db: Sql) =>
  (await db<{ n: number }[]>`select n from pipe_probe order by n`).map((r) => r.n);

/** Settles within `ms`, or fails the test instead of hanging it. */
function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)),
  ]);
}

describe('pipelinedTransaction', () => {
  it('runs BEGIN, the statements sent together and COMMIT as one transaction, in the order sent', async () => {
    await sql`truncate pipe_probe`;
    const [, first, , second] = await pipelinedTransaction(sql, ({ tx, begun, commit }) =>
      Promise.all([
        begun,
        tx<{ id: string }[]>`select txid_current()::text as id`.execute(),
        tx`insert into pipe_probe (n) values (1)`.execute(),
        tx<
          { id: string; n: number }[]
        >`select txid_current()::text as id, count(*)::int as n from pipe_probe`.execute(),
        commit(),
      ]),
    );
    expect(second[0]?.id).toBe(first[0]?.id);
    expect(second[0]?.n).toBe(1);
    expect(await rows(other)).toEqual([1]);
  });

  it('rolls back when a statement fails, and when its failure was swallowed COMMIT throws (25P02)', async () => {
    await sql`truncate pipe_probe`;
    const failing = pipelinedTransaction(sql, ({ tx, begun, commit }) =>
      Promise.all([
        begun,
        tx`insert into pipe_probe (n) values (2)`.execute(),
        tx`select 1/0`.execute(),
        commit(),
      ]),
    );
    await expect(failing).rejects.toHaveProperty('code', '22012');
    const swallowed = pipelinedTransaction(sql, async ({ tx, begun, commit }) => {
      await Promise.all([begun, tx`insert into pipe_probe (n) values (3)`.execute()]);
      await tx`select 1/0`.catch(() => undefined);
      await commit();
    });
    await expect(swallowed).rejects.toHaveProperty('code', '25P02');
    expect(await rows(other)).toEqual([]);
  });

  it('work that returns without COMMIT is an error and leaves no transaction open on the connection', async () => {
    await sql`truncate pipe_probe`;
    const open = pipelinedTransaction(sql, async ({ tx, begun }) => {
      await Promise.all([begun, tx`insert into pipe_probe (n) values (4)`.execute()]);
    });
    await expect(open).rejects.toThrow('without sending COMMIT');
    // The same (only) connection: outside any transaction, its insert is seen by another at once.
    await sql`insert into pipe_probe (n) values (5)`;
    expect(await rows(other)).toEqual([5]);
  });

  it('a connection that dies mid-transaction fails it at once, is neither rolled back nor released, and the pool serves the next query', async () => {
    const died = pipelinedTransaction(sql, ({ tx, begun, commit }) =>
      Promise.all([begun, tx`select pg_terminate_backend(pg_backend_pid())`.execute(), commit()]),
    );
    const error = await within(5000, died).catch((e: unknown) => e);
    expect(connectionGone(error)).toBe(true);
    // Released, the dead connection would be handed out again and never answer. (postgres.js
    // carries some state of the dead session into the first queries after it reconnects: they
    // must answer, whatever they answer, and soon the pool is as before.)
    let answer: number | undefined;
    for (let k = 0; k < 5 && answer !== 1; k++) {
      const result = await within(
        5000,
        sql<{ one: number }[]>`select 1 as one`.catch(() => []),
      );
      answer = result.find((r) => r !== undefined)?.one;
    }
    expect(answer).toBe(1);
  });
});
