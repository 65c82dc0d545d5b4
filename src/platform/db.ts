import postgres from 'postgres';
import { withReservedTransactions } from './reserved-transaction.js';

export type Sql = postgres.Sql;
export type Tx = postgres.TransactionSql;
/** Either the pool or an open transaction: repositories accept both. */
export type Db = Sql | Tx;

/** Deadlock and serialization failure: a batch transaction that met one rolled back entirely. */
const CONFLICT_SQLSTATES = new Set(['40P01', '40001']);

/**
 * Runs a whole batch transaction again when it lost a deadlock or a serialization conflict to
 * another batch (or `alsoRetry` says so), up to `attempts` times in all; other errors go through.
 */
export async function retryOnConflict<T>(
  run: () => Promise<T>,
  options: { attempts: number; alsoRetry?: (error: unknown) => boolean },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      const retryable =
        (typeof code === 'string' && CONFLICT_SQLSTATES.has(code)) || options.alsoRetry?.(error);
      if (attempt >= options.attempts || !retryable) throw error;
    }
  }
}

export interface DbOptions {
  max?: number;
}

/**
 * postgres.js, measured 1.3–1.5× cheaper per request than `pg` on this machine
 * (../shared/PLATFORM-NOTES.md); bigint columns come back as JS numbers because our
 * identities stay far below 2^53. Its `begin` runs on a reserved connection
 * (src/platform/reserved-transaction.ts: the driver's own can share a busy one).
 */
export function createSql(url: string, options: DbOptions = {}): Sql {
  const sql = postgres(url, {
    max: options.max ?? 20,
    onnotice: () => undefined,
    // A database that does not answer fails the request (503) after this, instead of after 30 s.
    connect_timeout: 10,
    // Reconnect within a second once the database is back (the default backoff grows to 20 s
    // after a few failures, which would keep the service down long after the database is up).
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
    types: {
      bigint: {
        to: 20,
        from: [20],
        serialize: (x: number | bigint) => x.toString(),
        parse: (x: string) => Number(x),
      },
    },
    connection: { application_name: 'rationing', TimeZone: 'UTC' },
  });
  return withReservedTransactions(sql);
}

/**
 * postgres.js 3.4.x can throw from a timer when a connection dies with a write still pending
 * (`TypeError: Cannot read properties of null (reading 'write')` in `nextWrite`, seen when the
 * database is SIGKILLed under load: docs/RELIABILITY.md). The connection is already dead and its
 * queries have failed; the error must not take the whole API process down with it. Any other
 * uncaught exception still ends the process, as Node's default does. For the server's entry
 * point only (test runners have their own handlers).
 */
export function surviveDriverSocketRace(warn: (failure: string) => void): void {
  process.on('uncaughtException', (error) => {
    const stack = error instanceof Error ? (error.stack ?? '') : '';
    if (
      error instanceof TypeError &&
      /postgres[\\/]src[\\/]connection\.js/.test(stack) &&
      /nextWrite/.test(stack)
    ) {
      warn('postgres.js: write on a closed connection ignored');
      return;
    }
    console.error(error);
    process.exit(1);
  });
}
