// Over 300 lines: one national-scale loader, its tables streamed with COPY in dependency order.
/**
 * Bulk loading at national scale (the draw bench, scenario (e)): rows are streamed with
 * `COPY … FROM STDIN` while the tables carry no index (not even their primary keys) and no foreign
 * key, and those are built afterwards — a sort per index and one join per foreign key instead of
 * millions of index insertions and per-row foreign-key checks, which slowed down as the tables
 * grew (bench/RESULTS.md (e)).
 *
 * Nothing is hard-coded: the indexes, unique constraints and foreign keys are read from the catalog
 * (`pg_get_indexdef`, `pg_get_constraintdef`) before they are dropped, re-created from those same
 * definitions, and the catalog is compared before and after (names, definitions, validity,
 * deferrability), so what runs on the loaded tables runs on the schema the migrations create.
 * Triggers are left in place (they still fire). The tables stay ordinary logged tables.
 */

import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createSql, type Sql } from '../src/platform/db.js';
import { sealedSample } from './data.js';

interface IndexDefinition {
  table: string;
  name: string;
  /** `pg_get_indexdef`: the CREATE [UNIQUE] INDEX statement. */
  definition: string;
  /** The unique or primary-key constraint the index backs, re-attached with `USING INDEX`. */
  constraint: { kind: 'PRIMARY KEY' | 'UNIQUE'; deferrable: string } | null;
}

interface ForeignKey {
  table: string;
  name: string;
  /** `pg_get_constraintdef`: FOREIGN KEY (…) REFERENCES …(…) [ON …] [DEFERRABLE …]. */
  definition: string;
}

/** What `dropForBulkLoad` took off the tables, to be put back by `restoreAfterBulkLoad`. */
export interface DroppedStructures {
  tables: string[];
  indexes: IndexDefinition[];
  foreignKeys: ForeignKey[];
  /** The catalog as it was: compared with the catalog after the restore. */
  fingerprint: string[];
}

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

/**
 * Everything about the tables' indexes and constraints that a drop and re-create could change,
 * one line each, sorted: the foreign keys from and to the tables, every constraint of the tables
 * (checks and not-null included) and every index with its flags. Object ids are left out.
 */
async function catalogFingerprint(sql: Sql, tables: string[]): Promise<string[]> {
  const constraints = await sql<{ line: string }[]>`
    select concat_ws(' | ', 'constraint', c.conrelid::regclass::text, c.conname, c.contype,
                     pg_get_constraintdef(c.oid), c.convalidated, c.condeferrable, c.condeferred,
                     c.connoinherit, c.conindid::regclass::text) as line
    from pg_constraint c
    where c.conrelid = any(${tables}::regclass[]) or c.confrelid = any(${tables}::regclass[])`;
  const indexes = await sql<{ line: string }[]>`
    select concat_ws(' | ', 'index', i.indrelid::regclass::text, i.indexrelid::regclass::text,
                     pg_get_indexdef(i.indexrelid), i.indisunique, i.indisprimary, i.indimmediate,
                     i.indisclustered, i.indisvalid, i.indisready, i.indislive, i.indisreplident,
                     i.indnullsnotdistinct, x.reloptions::text, x.reltablespace) as line
    from pg_index i join pg_class x on x.oid = i.indexrelid
    where i.indrelid = any(${tables}::regclass[])`;
  // Foreign-key triggers are named after object ids: counted by kind, not by name.
  const triggers = await sql<{ line: string }[]>`
    select concat_ws(' | ', 'trigger', relation, name, function, kind, enabled, count(*)) as line
    from (
      select t.tgrelid::regclass::text as relation,
             case when t.tgisinternal then 'internal' else t.tgname end as name,
             t.tgfoid::regproc::text as function, t.tgtype as kind, t.tgenabled as enabled
      from pg_trigger t
      where t.tgrelid = any(${tables}::regclass[])
    ) t
    group by relation, name, function, kind, enabled`;
  // Still ordinary (logged) tables.
  const relations = await sql<{ line: string }[]>`
    select concat_ws(' | ', 'table', oid::regclass::text, relkind, relpersistence, reloptions::text) as line
    from pg_class where oid = any(${tables}::regclass[])`;
  return [...relations, ...constraints, ...indexes, ...triggers].map((r) => r.line).sort();
}

/**
 * Drops every index of `tables` (primary keys and unique constraints included) and every foreign
 * key from or to them, after reading their definitions from the catalog. Check and not-null
 * constraints, defaults, identities and triggers stay.
 */
export async function dropForBulkLoad(sql: Sql, tables: string[]): Promise<DroppedStructures> {
  const fingerprint = await catalogFingerprint(sql, tables);
  const indexes = await sql<
    {
      table: string;
      name: string;
      relation: string;
      definition: string;
      kind: string | null;
      deferrable: string;
    }[]
  >`
    select i.indrelid::regclass::text as "table", x.relname as name, i.indexrelid::regclass::text as relation,
           pg_get_indexdef(i.indexrelid) as definition, c.contype::text as kind,
           case when c.condeferrable then 'deferrable initially '
                  || case when c.condeferred then 'deferred' else 'immediate' end
                else '' end as deferrable
    from pg_index i
    join pg_class x on x.oid = i.indexrelid
    left join pg_constraint c on c.conindid = i.indexrelid and c.conrelid = i.indrelid and c.contype in ('p', 'u', 'x')
    where i.indrelid = any(${tables}::regclass[])
    order by 1, 2`;
  if (indexes.some((i) => i.kind === 'x'))
    throw new Error('bulk load: exclusion constraints are not handled');
  // Other tables' foreign keys to these tables hang on the unique indexes dropped here.
  const foreignKeys = await sql<ForeignKey[]>`
    select c.conrelid::regclass::text as "table", c.conname as name, pg_get_constraintdef(c.oid) as definition
    from pg_constraint c
    where c.contype = 'f' and (c.conrelid = any(${tables}::regclass[]) or c.confrelid = any(${tables}::regclass[]))
    order by 1, 2`;
  await sql.begin(async (tx) => {
    for (const fk of foreignKeys)
      await tx.unsafe(`alter table ${fk.table} drop constraint ${quote(fk.name)}`);
    for (const index of indexes) {
      if (index.kind) await tx.unsafe(`alter table ${index.table} drop constraint ${quote(index.name)}`);
      else await tx.unsafe(`drop index ${index.relation}`);
    }
  });
  return {
    tables,
    foreignKeys,
    fingerprint,
    indexes: indexes.map((i) => ({
      table: i.table,
      name: i.name,
      definition: i.definition,
      constraint: i.kind
        ? { kind: i.kind === 'p' ? 'PRIMARY KEY' : 'UNIQUE', deferrable: i.deferrable }
        : null,
    })),
  };
}

/**
 * Builds the dropped indexes again (`connections` at a time, each with `maintenance_work_mem`
 * raised), re-attaches their constraints (`ADD CONSTRAINT … USING INDEX`), adds the foreign
 * keys again (each validated by one join over the loaded rows), and checks that the catalog is
 * what it was. Returns the seconds of the index builds and of the foreign keys.
 */
export async function restoreAfterBulkLoad(
  url: string,
  dropped: DroppedStructures,
  options: { connections?: number; maintenanceWorkMem?: string } = {},
): Promise<{ indexSeconds: number; foreignKeySeconds: number }> {
  const connections = options.connections ?? 2;
  const memory = options.maintenanceWorkMem ?? '1GB';
  const sql = createSql(url, { max: connections });
  try {
    const t0 = performance.now();
    const queue = [...dropped.indexes];
    const setMemory = `set maintenance_work_mem = '${memory.replaceAll("'", '')}'`;
    const worker = async () => {
      const connection = await sql.reserve();
      try {
        await connection.unsafe(setMemory);
        for (let index = queue.shift(); index; index = queue.shift()) {
          const start = performance.now();
          await connection.unsafe(index.definition);
          if (process.env.BENCH_VERBOSE) {
            console.log(`    ${index.name} built in ${((performance.now() - start) / 1000).toFixed(1)} s`);
          }
        }
      } finally {
        connection.release();
      }
    };
    await Promise.all(Array.from({ length: connections }, worker));
    // Constraints on the built indexes (catalog only), once no build holds a table any more.
    for (const index of dropped.indexes) {
      if (!index.constraint) continue;
      await sql.unsafe(
        `alter table ${index.table} add constraint ${quote(index.name)} ${index.constraint.kind} using index ${quote(index.name)} ${index.constraint.deferrable}`,
      );
    }
    const indexSeconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const connection = await sql.reserve();
    try {
      // The validating join of each foreign key runs with work_mem = maintenance_work_mem.
      await connection.unsafe(setMemory);
      for (const fk of dropped.foreignKeys) {
        await connection.unsafe(`alter table ${fk.table} add constraint ${quote(fk.name)} ${fk.definition}`);
      }
    } finally {
      connection.release();
    }
    const foreignKeySeconds = (performance.now() - t1) / 1000;
    const after = await catalogFingerprint(sql, dropped.tables);
    const before = new Set(dropped.fingerprint);
    const now = new Set(after);
    const missing = dropped.fingerprint.filter((l) => !now.has(l));
    const extra = after.filter((l) => !before.has(l));
    if (missing.length > 0 || extra.length > 0) {
      throw new Error(
        `bulk load: the schema differs after the restore\n  was: ${missing.join('\n       ')}\n  now: ${extra.join('\n       ')}`,
      );
    }
    return { indexSeconds, foreignKeySeconds };
  } finally {
    await sql.end();
  }
}

/**
 * `count` rows into `table (columns)` with one `COPY … FROM STDIN` (text format), row i written
 * by `row(i)` (tab-separated, newline-terminated), in order, in pieces of ~1,000 rows.
 */
export async function copyRows(
  sql: Sql,
  table: string,
  columns: string[],
  count: number,
  row: (i: number) => string,
): Promise<void> {
  const writable = await sql.unsafe(`copy ${table} (${columns.map(quote).join(', ')}) from stdin`).writable();
  function* pieces() {
    for (let start = 0; start < count; start += 1000) {
      const end = Math.min(start + 1000, count);
      let text = '';
      for (let i = start; i < end; i++) text += row(i);
      yield text;
    }
  }
  await pipeline(Readable.from(pieces()), writable);
}

/** Seconds per million rows, for the printed load phases. */
const perMillion = (seconds: number, rows: number) => ((seconds * 1e6) / Math.max(rows, 1)).toFixed(2);

/**
 * The draw's national round in bulk: `count` persons (as `bulkPersons` writes them) and one
 * registered order each in round `roundId` (as `bulkOrders` writes them: sealed sample phone and
 * e-mail, store `storeIds[i % n]`, explicit ids from max(id) + 1, sequences moved past them).
 * The two tables are loaded at the same time, each by one `COPY` in id order (so rows lie in id
 * order on disk, as with the statement-at-a-time load), with their indexes and the foreign keys
 * from and to them dropped and then re-created from the catalog's own definitions
 * (`dropForBulkLoad`, `restoreAfterBulkLoad`, which checks that the schema is what it was).
 * Prints each phase (and each index build with BENCH_VERBOSE set).
 */
export async function bulkPersonsAndOrders(
  sql: Sql,
  url: string,
  options: { count: number; roundId: number; storeIds: number[]; at: string },
): Promise<{ firstPersonId: number; firstOrderId: number }> {
  const { count, roundId, storeIds, at } = options;
  if (storeIds.length === 0) throw new Error('bulk load: no stores');
  const t0 = performance.now();
  const [persons] = await sql<{ n: number }[]>`select coalesce(max(id), 0) + 1 as n from persons`;
  const [orders] = await sql<{ n: number }[]>`select coalesce(max(id), 0) + 1 as n from orders`;
  const firstPersonId = persons?.n ?? 1;
  const firstOrderId = orders?.n ?? 1;
  const dropped = await dropForBulkLoad(sql, ['persons', 'orders']);
  // Every column value but the ids is the same in every row (text format: no tab, newline or
  // backslash in any of them).
  const personTail = `\t${sealedSample.nationalId}\t${sealedSample.name}\t1980-01-01\tTW\t2020-03-01T00:00:00+08:00\n`;
  const orderTail = `\t${sealedSample.phone}\t${sealedSample.email}\tweb_card\t22\tregistered\t${at}\t${at}\n`;
  const timed = async (load: () => Promise<void>) => {
    const start = performance.now();
    await load();
    return (performance.now() - start) / 1000;
  };
  const [personSeconds, orderSeconds] = await Promise.all([
    timed(() =>
      copyRows(
        sql,
        'persons',
        ['id', 'national_id', 'name', 'birth_date', 'nationality', 'created_at'],
        count,
        (i) => `${firstPersonId + i}${personTail}`,
      ),
    ),
    timed(() =>
      copyRows(
        sql,
        'orders',
        [
          'id',
          'round_id',
          'person_id',
          'store_id',
          'phone',
          'email',
          'channel',
          'amount',
          'state',
          'submitted_at',
          'updated_at',
        ],
        count,
        (i) =>
          `${firstOrderId + i}\t${roundId}\t${firstPersonId + i}\t${storeIds[i % storeIds.length]}${orderTail}`,
      ),
    ),
  ]);
  await sql`select setval(pg_get_serial_sequence('persons', 'id'), ${firstPersonId + count})`;
  await sql`select setval(pg_get_serial_sequence('orders', 'id'), ${firstOrderId + count})`;
  const restored = await restoreAfterBulkLoad(url, dropped);
  const seconds = (performance.now() - t0) / 1000;
  console.log(
    `  data: ${count} persons and ${count} registered orders in ${seconds.toFixed(1)} s ` +
      `(${perMillion(seconds, count)} s per million orders with their persons)\n` +
      `    COPY, both tables at once: persons ${personSeconds.toFixed(1)} s (${perMillion(personSeconds, count)} s/M), ` +
      `orders ${orderSeconds.toFixed(1)} s (${perMillion(orderSeconds, count)} s/M)\n` +
      `    then ${dropped.indexes.length} indexes built in ${restored.indexSeconds.toFixed(1)} s ` +
      `(${perMillion(restored.indexSeconds, count)} s/M), ${dropped.foreignKeys.length} foreign keys added ` +
      `and validated in ${restored.foreignKeySeconds.toFixed(1)} s (${perMillion(restored.foreignKeySeconds, count)} s/M); schema as before`,
  );
  return { firstPersonId, firstOrderId };
}
