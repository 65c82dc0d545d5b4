import { maskId } from '../rules/ids.js';
import { canonicalRecipient } from '../rules/recipient.js';
import type { Sql } from './db.js';
import { type SealedKind, Vault } from './vault.js';

/**
 * Every column that holds personal data, sealed by src/platform/vault.ts. One list serves the
 * first start after migration 0080 (seal what older versions stored in plaintext) and key
 * rotation (`npm run rotate-keys`: re-seal under the current key, and with `--reindex`
 * recompute the blind index under a new BLIND_INDEX_KEY).
 */
interface SealedColumn {
  column: string;
  kind: SealedKind | ((row: Row) => SealedKind);
  /** Blind-index column computed from the plaintext. */
  index?: string;
  /** What the blind index is of, when not the plaintext as stored (a canonical form). */
  indexOf?: (plaintext: string, row: Row) => string;
  /** Plain masked copy computed from the plaintext (maskId). */
  masked?: string;
}

interface SealedTable {
  table: string;
  /** Extra columns a kind depends on. */
  extra: string[];
  columns: SealedColumn[];
}

type Row = Record<string, string | number | null>;

export const SEALED_TABLES: readonly SealedTable[] = [
  {
    table: 'persons',
    extra: [],
    columns: [
      {
        column: 'national_id',
        kind: 'national_id',
        index: 'national_id_index',
        masked: 'national_id_masked',
      },
      { column: 'arc_number', kind: 'arc_number', index: 'arc_number_index' },
      { column: 'name', kind: 'name' },
    ],
  },
  {
    table: 'orders',
    extra: [],
    columns: [
      { column: 'phone', kind: 'phone' },
      { column: 'email', kind: 'email' },
    ],
  },
  { table: 'devices', extra: [], columns: [{ column: 'phone', kind: 'phone' }] },
  {
    table: 'outbox',
    extra: ['channel'],
    columns: [
      {
        column: 'recipient',
        kind: (row) => (row.channel === 'sms' ? 'phone' : 'email'),
        // What message verification compares (migration 0086): the canonical recipient's index,
        // as the delivery worker records it at sending.
        index: 'recipient_index',
        indexOf: (plaintext, row) => canonicalRecipient(row.channel === 'sms' ? 'sms' : 'email', plaintext),
      },
    ],
  },
];

export interface ResealReport {
  /** Rows changed per table. */
  changed: Record<string, number>;
  /** Values that were plaintext, sealed under a retired key, and blind indexes recomputed. */
  sealedPlaintext: number;
  resealed: number;
  reindexed: number;
}

export interface ResealOptions {
  /** Recompute every blind index (after BLIND_INDEX_KEY changed; a maintenance-window step). */
  reindex?: boolean;
  batchSize?: number;
}

/**
 * Walks every sealed column in id order and brings each value to the current state: plaintext
 * is sealed, a value sealed under a retired key is re-sealed under the current one, missing (or,
 * with `reindex`, all) blind indexes and masked copies are computed. Each batch is one UPDATE
 * that only applies where the row still holds what was read, so a concurrent write (an order
 * replaced meanwhile) is never overwritten with the old value; running it again is harmless.
 */
export async function resealPersonalData(
  sql: Sql,
  vault: Vault,
  options: ResealOptions = {},
): Promise<ResealReport> {
  const report: ResealReport = { changed: {}, sealedPlaintext: 0, resealed: 0, reindexed: 0 };
  const batchSize = options.batchSize ?? 2_000;
  for (const spec of SEALED_TABLES) {
    report.changed[spec.table] = 0;
    const derived = spec.columns.flatMap((c) => [c.index, c.masked]).filter((c): c is string => !!c);
    const read = ['id', ...spec.extra, ...spec.columns.map((c) => c.column), ...derived];
    let after = 0;
    for (;;) {
      const rows = (await sql.unsafe(
        `select ${read.map(quote).join(', ')} from ${quote(spec.table)} where id > $1 order by id limit $2`,
        [after, batchSize],
      )) as unknown as Row[];
      if (rows.length === 0) break;
      after = Number(rows[rows.length - 1]?.id);
      const updates = rows.flatMap((row) => {
        const next = nextValues(spec, row, vault, options.reindex ?? false, report);
        return next ? [{ row, next }] : [];
      });
      if (updates.length === 0) continue;
      report.changed[spec.table] = (report.changed[spec.table] ?? 0) + (await applyBatch(sql, spec, updates));
    }
  }
  return report;
}

function nextValues(
  spec: SealedTable,
  row: Row,
  vault: Vault,
  reindex: boolean,
  report: ResealReport,
): Record<string, string | Buffer | null> | undefined {
  const next: Record<string, string | Buffer | null> = {};
  for (const column of spec.columns) {
    const value = row[column.column];
    if (typeof value !== 'string') continue;
    const kind = typeof column.kind === 'function' ? column.kind(row) : column.kind;
    const sealed = Vault.isSealed(value);
    const plaintext = sealed ? vault.open(kind, value) : value;
    if (!sealed) {
      next[column.column] = vault.seal(kind, plaintext);
      report.sealedPlaintext++;
    } else if (Vault.keyIdOf(value) !== vault.currentKeyId) {
      next[column.column] = vault.seal(kind, plaintext);
      report.resealed++;
    }
    if (column.index && (reindex || !sealed || row[column.index] === null)) {
      next[column.index] = vault.index(kind, column.indexOf ? column.indexOf(plaintext, row) : plaintext);
      report.reindexed++;
    }
    if (column.masked && row[column.masked] === null) next[column.masked] = maskId(plaintext);
  }
  return Object.keys(next).length > 0 ? next : undefined;
}

/**
 * One UPDATE per batch: every personal-data column of the row is set to its new value (or kept),
 * guarded by the values read, so a row written meanwhile is left for the next run.
 */
async function applyBatch(
  sql: Sql,
  spec: SealedTable,
  updates: { row: Row; next: Record<string, string | Buffer | null> }[],
): Promise<number> {
  const sealedCols = spec.columns.map((c) => c.column);
  const textCols = [...sealedCols, ...spec.columns.flatMap((c) => (c.masked ? [c.masked] : []))];
  const byteCols = spec.columns.flatMap((c) => (c.index ? [c.index] : []));
  const value = (u: (typeof updates)[number], col: string) => (col in u.next ? u.next[col] : u.row[col]);
  const params: unknown[] = [updates.map((u) => String(u.row.id))];
  const columns: string[] = ['id'];
  const selects: string[] = ['unnest($1::int8[])'];
  const add = (name: string, type: string, values: unknown[]) => {
    params.push(values);
    columns.push(name);
    selects.push(`unnest($${params.length}::${type}[])`);
  };
  for (const col of textCols)
    add(
      col,
      'text',
      updates.map((u) => value(u, col)),
    );
  for (const col of byteCols) {
    add(
      col,
      'text',
      updates.map((u) => {
        const v = value(u, col);
        return v === null || v === undefined ? null : Buffer.from(v as Buffer).toString('hex');
      }),
    );
  }
  for (const col of sealedCols)
    add(
      `old_${col}`,
      'text',
      updates.map((u) => u.row[col]),
    );
  const sets = [
    ...textCols.map((c) => `${quote(c)} = v.${quote(c)}`),
    ...byteCols.map((c) => `${quote(c)} = decode(v.${quote(c)}, 'hex')`),
  ];
  const guards = sealedCols.map((c) => `t.${quote(c)} is not distinct from v.${quote(`old_${c}`)}`);
  const result = await sql.unsafe(
    `update ${quote(spec.table)} t set ${sets.join(', ')}
     from (select ${selects.join(', ')}) as v (${columns.map(quote).join(', ')})
     where t.id = v.id and ${guards.join(' and ')}`,
    params as never[],
  );
  return result.count;
}

const quote = (identifier: string) => `"${identifier.replaceAll('"', '""')}"`;

/**
 * Airport purchases of travellers keep only the blind index of the passport number (hex of
 * HMAC-SHA256), which is all the interval rule needs; older rows held the number itself.
 */
async function indexLegacyPassports(sql: Sql, vault: Vault): Promise<void> {
  const rows = await sql<{ id: number; passport_no: string }[]>`
    select id, passport_no from purchases where passport_no is not null and passport_no !~ '^[0-9a-f]{64}$'`;
  for (const row of rows) {
    await sql`update purchases set passport_no = ${vault.indexHex('passport', row.passport_no)}
              where id = ${row.id}`;
  }
}

/**
 * At start-up, after the migrations: a database that held plaintext before migration 0080 is
 * sealed once (an advisory lock keeps several starting processes from doing it twice).
 */
export async function sealPlaintextOnce(sql: Sql, vault: Vault): Promise<ResealReport | undefined> {
  const [state] = await sql<{ sealed: boolean }[]>`
    select plaintext_sealed as sealed from personal_data_state where id = 1`;
  if (state?.sealed !== false) return undefined;
  const reserved = await sql.reserve();
  try {
    await reserved`select pg_advisory_lock(727274080)`;
    const [again] = await reserved<{ sealed: boolean }[]>`
      select plaintext_sealed as sealed from personal_data_state where id = 1`;
    if (again?.sealed !== false) return undefined;
    const report = await resealPersonalData(sql, vault);
    await indexLegacyPassports(sql, vault);
    await reserved`update personal_data_state set plaintext_sealed = true where id = 1`;
    return report;
  } finally {
    await reserved`select pg_advisory_unlock(727274080)`.catch(() => undefined);
    reserved.release();
  }
}
