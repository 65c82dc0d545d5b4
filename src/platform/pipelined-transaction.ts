import type postgres from 'postgres';
import { commitOn, onReservedConnection, rollbackUnlessGone } from './reserved-transaction.js';

type Sql = postgres.Sql;
type ReservedSql = postgres.ReservedSql;

/** What the work of a `pipelinedTransaction` sends its statements with. */
export interface Pipeline {
  /** The transaction's own connection: statements sent on it run in the order they were sent. */
  tx: ReservedSql;
  /** BEGIN, sent before anything else: await it together with the first statements. */
  begun: Promise<unknown>;
  /**
   * Sends COMMIT after everything sent so far (await it together with the last statements);
   * rejects when the server rolled back instead (a statement before it failed).
   */
  commit(): Promise<void>;
}

/**
 * A batch transaction (micro-batch.ts) whose BEGIN and COMMIT go in the same write as the
 * statements next to them, instead of a round trip each as with `sql.begin`: on a reserved
 * connection, BEGIN is sent at once and the work sends the rest, pipelined, COMMIT included
 * (`commit`). Statements sent together run in the order sent, each in its own snapshot; when one
 * fails, the ones after it fail too and COMMIT becomes a rollback.
 *
 * Anything thrown rolls back, and work that returns without sending COMMIT is an error (rolled
 * back: a transaction is never left open on a released connection). A connection that died is
 * neither rolled back nor released (`onReservedConnection`, as `reservedBegin` does).
 */
export async function pipelinedTransaction<T>(
  pool: Sql,
  work: (pipeline: Pipeline) => Promise<T>,
): Promise<T> {
  return onReservedConnection(pool, async (conn) => {
    const begun = conn`begin`.execute();
    // Its failure is the first statement's failure too; never an unhandled rejection of its own.
    begun.catch(() => undefined);
    let committing = false;
    const commit = () => {
      committing = true;
      return commitOn(conn);
    };
    try {
      const result = await work({ tx: conn, begun, commit });
      if (!committing) throw new Error('a pipelined transaction returned without sending COMMIT');
      return result;
    } catch (error) {
      await rollbackUnlessGone(conn, error);
      throw error;
    }
  });
}
