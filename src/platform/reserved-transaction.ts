import type postgres from 'postgres';

type Sql = postgres.Sql;
type ReservedSql = postgres.ReservedSql;
type Tx = postgres.TransactionSql;

/**
 * Failures after which the reserved connection is gone: postgres.js has already moved it to its
 * closed queue, and releasing it would put a dead socket back among the open ones.
 */
const CONNECTION_GONE = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_DESTROYED',
  'CONNECTION_ENDED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  '57P01',
  '57P02',
  '57P03',
]);

export const connectionGone = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && CONNECTION_GONE.has(code);
};

type Work<T> = (tx: Tx) => T | Promise<T>;

const settle = async <T>(x: T | Promise<T>): Promise<unknown> => (Array.isArray(x) ? Promise.all(x) : x);

/**
 * One transaction on a connection that is already this caller's alone (`sql.reserve()`): BEGIN,
 * the work, COMMIT. As postgres.js does: the work's result may be an array of queries (awaited
 * together), anything thrown rolls back, and a savepoint rolls back to itself on a throw. A COMMIT
 * that the server turns into a ROLLBACK (a statement of the work failed but its error was
 * swallowed) throws instead of reporting success. The connection is not released here.
 */
export async function transactionOn<T>(conn: ReservedSql, options: string, work: Work<T>): Promise<T> {
  await conn.unsafe(`begin ${options.replace(/[^a-z ]/gi, '')}`);
  let savepoints = 0;
  const tx = Object.assign(conn, {
    savepoint: async (nameOrWork: unknown, maybeWork?: unknown) => {
      const inner = (typeof nameOrWork === 'function' ? nameOrWork : maybeWork) as Work<unknown>;
      const name = `s${savepoints++}`;
      await conn.unsafe(`savepoint ${name}`);
      try {
        return await settle(inner(tx));
      } catch (error) {
        if (!connectionGone(error)) await conn.unsafe(`rollback to ${name}`);
        throw error;
      }
    },
    prepare: () => {
      throw new Error('prepared transactions are not used by this platform');
    },
  }) as unknown as Tx;
  let result: unknown;
  try {
    result = await settle(work(tx));
  } catch (error) {
    await rollbackUnlessGone(conn, error);
    throw error;
  }
  await commitOn(conn);
  return result as T;
}

/**
 * Sends COMMIT now, after whatever was sent on `conn` before it (so it can go in one write with
 * them), and throws when the server answered it with a ROLLBACK (a statement of the transaction
 * failed, even if its error was swallowed) instead of reporting success.
 */
export async function commitOn(conn: ReservedSql): Promise<void> {
  const done = await conn`commit`.execute();
  if (done.command !== 'COMMIT') {
    throw Object.assign(new Error('the transaction was rolled back by the server at COMMIT'), {
      code: '25P02',
    });
  }
}

/**
 * After `error` ended a transaction's work: ROLLBACK (harmless when nothing is open), unless the
 * connection died, when nothing can be sent on it any more (a write would never be answered).
 */
export async function rollbackUnlessGone(conn: ReservedSql, error: unknown): Promise<void> {
  if (!connectionGone(error)) await conn`rollback`.catch(() => undefined);
}

/**
 * `work` on a connection of its own (`sql.reserve()`), released after — unless it died, when
 * postgres.js has already moved it to its closed queue (releasing it would put a dead socket
 * back among the open ones, where the next query would wait on it forever).
 */
export async function onReservedConnection<T>(
  pool: Sql,
  work: (conn: ReservedSql) => Promise<T>,
): Promise<T> {
  const conn = await pool.reserve();
  let gone = false;
  try {
    return await work(conn);
  } catch (error) {
    gone = connectionGone(error);
    throw error;
  } finally {
    if (!gone) conn.release();
  }
}

/**
 * `sql.begin` on a connection of its own. postgres.js 3.4.9's `begin` can send BEGIN on a
 * connection that is still busy with other queries when the pool is saturated; the reservation
 * is then dropped by the earlier query's ReadyForQuery, COMMIT-less statements of other requests
 * run inside the open transaction, and BEGIN fails with UNSAFE_TRANSACTION (porsager/postgres
 * #823, #1189; fixes #1207/#1218 unmerged). Seen here as 500s from concurrent order look-ups.
 * `sql.reserve()` never shares a connection, so BEGIN, the work and COMMIT (`transactionOn`) go
 * over one connection that nothing else uses until it is released (`onReservedConnection`).
 */
export async function reservedBegin<T>(pool: Sql, options: string, work: Work<T>): Promise<T> {
  return onReservedConnection(pool, (conn) => transactionOn(conn, options, work));
}

/** Makes `sql.begin` use `reservedBegin` (see there why) for every caller of this pool. */
export function withReservedTransactions(sql: Sql): Sql {
  const begin = (optionsOrWork: string | Work<unknown>, maybeWork?: Work<unknown>) =>
    typeof optionsOrWork === 'function'
      ? reservedBegin(sql, '', optionsOrWork)
      : reservedBegin(sql, optionsOrWork, maybeWork as Work<unknown>);
  Object.defineProperty(sql, 'begin', { value: begin, configurable: true, writable: true });
  return sql;
}
