import postgres from 'postgres';

export type Sql = postgres.Sql;
export type Tx = postgres.TransactionSql;
/** Either the pool or an open transaction: repositories accept both. */
export type Db = Sql | Tx;

export interface DbOptions {
  max?: number;
}

/**
 * postgres.js, measured 1.3–1.5× cheaper per request than `pg` on this machine
 * (../shared/PLATFORM-NOTES.md); bigint columns come back as JS numbers because our
 * identities stay far below 2^53.
 */
export function createSql(url: string, options: DbOptions = {}): Sql {
  return postgres(url, {
    max: options.max ?? 20,
    onnotice: () => undefined,
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
}
