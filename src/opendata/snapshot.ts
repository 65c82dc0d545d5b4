import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Db } from '../platform/db.js';
import { type PharmacyStockRow, pharmacyDataVersion, pharmacyStockRows } from './opendata.repo.js';
import { renderCsv, renderGeoJson } from './render.js';
import { stockChangeCount } from './stock-signal.js';

const gzipAsync = promisify(gzip);

/** One rendering of the data, ready to send as it is or gzip-compressed. */
export interface Representation {
  body: Buffer;
  gzipped: Buffer;
  /** Strong validator of the identity encoding; the gzip encoding's is derived (`-gz`). */
  etag: string;
}

export interface Snapshot {
  version: string;
  csv: Representation;
  json: Representation;
  /** The latest change in the data (HTTP date precision is one second). */
  lastModified: Date;
}

/** How often the database is asked whether anything changed, at most (monotonic time). */
export const CHECK_INTERVAL_MS = 1000;
/** After a write in this process the next read re-checks at once, but rebuilds at most this often. */
export const MIN_REBUILD_INTERVAL_MS = 100;

async function represent(text: string): Promise<Representation> {
  const body = Buffer.from(text, 'utf8');
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  return { body, gzipped: await gzipAsync(body, { level: 9 }), etag };
}

/** Where the snapshot reads from: the database, or a counting fake in tests. */
export interface StockSource {
  version(): Promise<string>;
  rows(): Promise<PharmacyStockRow[]>;
}

export function databaseStockSource(db: Db): StockSource {
  return { version: () => pharmacyDataVersion(db), rows: () => pharmacyStockRows(db) };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The open data served from memory (docs/OPEN-DATA.md): a million map users cost the database
 * one cheap version query per second per process, and a rebuild (one read of the pharmacies
 * table, rendered and compressed once) only when that version changed. Concurrent readers
 * share one check (single flight).
 */
export class StockSnapshots {
  private current: Snapshot | undefined;
  private checkedAt = Number.NEGATIVE_INFINITY;
  private builtAt = Number.NEGATIVE_INFINITY;
  private seenLocalChanges = -1;
  private inflight: Promise<Snapshot> | undefined;

  constructor(private readonly source: StockSource) {}

  async get(): Promise<Snapshot> {
    const fresh =
      this.current !== undefined &&
      this.seenLocalChanges === stockChangeCount() &&
      performance.now() - this.checkedAt < CHECK_INTERVAL_MS;
    if (fresh && this.current) return this.current;
    this.inflight ??= this.refresh().finally(() => {
      this.inflight = undefined;
    });
    return this.inflight;
  }

  private async refresh(): Promise<Snapshot> {
    const sinceBuild = performance.now() - this.builtAt;
    if (this.current && sinceBuild < MIN_REBUILD_INTERVAL_MS)
      await sleep(MIN_REBUILD_INTERVAL_MS - sinceBuild);
    const localChanges = stockChangeCount();
    const version = await this.source.version();
    this.checkedAt = performance.now();
    this.seenLocalChanges = localChanges;
    if (this.current && this.current.version === version) return this.current;
    const rows = await this.source.rows();
    const lastModified = new Date(rows.reduce((max, r) => Math.max(max, r.updatedAt.getTime()), 0));
    const [csv, json] = await Promise.all([represent(renderCsv(rows)), represent(renderGeoJson(rows))]);
    this.current = { version, csv, json, lastModified };
    this.builtAt = performance.now();
    return this.current;
  }
}
