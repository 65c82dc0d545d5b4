import { createHash } from 'node:crypto';

/**
 * The eMask lottery (SPEC §5, seeds [ORD 24.1 note, 24.4]; docs/DRAW.md), pure, for anyone to
 * re-run: every order is ranked by SHA-256(seed bytes ‖ order id in decimal ASCII), the lowest
 * `supplyPacks` keys win, ties by lower order id. When orders ≤ supply everyone is selected.
 * The database computes the same key with `emask_draw_key` (migrations/functions/draw-key.sql).
 */
export const DRAW_ALGORITHM =
  'sha256(seed || decimal order id), lowest supplyPacks keys win, ties by order id';

export const SEED_PATTERN = '^[0-9a-fA-F]{1,256}$';

/** The seed as published (lower-case hex) and its bytes (hex decoded, left-padded with 0 to even length). */
export function normalizeSeed(seed: string): { seed: string; bytes: Buffer } {
  if (!new RegExp(SEED_PATTERN).test(seed)) throw new RangeError('the seed must be a hex string');
  const hex = seed.toLowerCase();
  return { seed: hex, bytes: Buffer.from(hex.length % 2 === 1 ? `0${hex}` : hex, 'hex') };
}

/** The lottery key of one order. */
export function drawKey(seedBytes: Buffer, orderId: number): Buffer {
  return createHash('sha256').update(seedBytes).update(String(orderId), 'utf8').digest();
}

/** The winning order ids for a seed and a supply. */
export function selectWinners(orderIds: readonly number[], seed: string, supplyPacks: number): Set<number> {
  if (orderIds.length <= supplyPacks) return new Set(orderIds);
  const { bytes } = normalizeSeed(seed);
  const ranked = orderIds.map((id) => ({ id, key: drawKey(bytes, id) }));
  ranked.sort((a, b) => Buffer.compare(a.key, b.key) || a.id - b.id);
  return new Set(ranked.slice(0, supplyPacks).map((r) => r.id));
}

export interface ExportRow {
  orderId: number;
  selected: boolean;
}

/** Rows of `GET /rounds/{id}/draw/export.csv`: a header `order_id,selected`, then `<id>,<true|false>`. */
export function parseDrawExport(csv: string): ExportRow[] {
  const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== '');
  const [header, ...rows] = lines;
  if (header?.trim() !== 'order_id,selected')
    throw new Error('not a draw export: the header must be order_id,selected');
  return rows.map((line, i) => {
    const [id, flag] = line.trim().split(',');
    if (!id || !/^\d+$/.test(id) || (flag !== 'true' && flag !== 'false')) {
      throw new Error(`line ${i + 2} is not "<order id>,<true|false>"`);
    }
    return { orderId: Number(id), selected: flag === 'true' };
  });
}

export interface Verification {
  matches: boolean;
  orders: number;
  selected: number;
  expectedSelected: number;
  /** Orders the recomputation selects that the export does not mark selected. */
  missing: number[];
  /** Orders the export marks selected that the recomputation does not select. */
  unexpected: number[];
}

/** Recompute the winners from an export and compare them with its flags. */
export function verifyDrawExport(csv: string, seed: string, supplyPacks: number): Verification {
  const rows = parseDrawExport(csv);
  const winners = selectWinners(
    rows.map((r) => r.orderId),
    seed,
    supplyPacks,
  );
  const missing: number[] = [];
  const unexpected: number[] = [];
  for (const row of rows) {
    const expected = winners.has(row.orderId);
    if (expected && !row.selected) missing.push(row.orderId);
    if (!expected && row.selected) unexpected.push(row.orderId);
  }
  return {
    matches: missing.length === 0 && unexpected.length === 0,
    orders: rows.length,
    selected: rows.filter((r) => r.selected).length,
    expectedSelected: winners.size,
    missing,
    unexpected,
  };
}
