// Over 300 lines: one generator of the national-scale data set, its rows streamed table by table with COPY.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { sealPersonColumns } from '../identity/identity.repo.js';
import { createSql, type Sql } from '../platform/db.js';
import { tokenHash } from '../platform/secrets.js';
import type { Vault } from '../platform/vault.js';
import {
  CHAIN_SHARE,
  CHAINS,
  GIVEN_F,
  GIVEN_M,
  PHARMACY_NAMES,
  STORE_WORDS,
  SURNAMES,
  storeName,
} from './demo-dataset.js';
import {
  DEFAULT_DEMO_SEED,
  derivedPartnerKey,
  ed25519FromSeed,
  hmac,
  type KeyPairPem,
  Rng,
} from './derive.js';
import { allocateByPopulation, COUNTIES, landlineIn, placeIn, shortDistrict } from './geography.js';

/**
 * National-scale data for benchmarks (SPEC §9: 23.6 M people, ~6,000 pharmacies, ~10,000
 * stores), streamed straight into PostgreSQL with COPY. Everything is a function of the row
 * index, so a load generator can recompute any person's ID, card number and card key without
 * reading the database:
 *
 * - person i: `nationalIdAt(i)` (every 50th a foreign resident with a 2021-format ARC),
 *   card `cardNoAt(i)`, card key `keys.cardKeys[i % keys.cardKeys.length]`: all cards share a
 *   handful of key pairs, because deriving 23.6 M Ed25519 keys would dominate the run and a
 *   load test only needs valid signatures;
 * - pharmacy j: code `pharmacyCodeAt(j)`; stores get ids after the existing ones;
 *   partner keys are HMACs of the seed as in the demo (`derivedPartnerKey`).
 *
 * The ID serial numbers used here stay below 5,000,000 (up to 260 M people), the demo's start
 * at 5,000,000, card numbers start with 2 and pharmacy codes with 58, so a national load and
 * the demo data can share one database.
 */

/** Area letters in the order of their check-digit codes (A=10 … Z=33). */
const AREA_LETTERS = 'ABCDEFGHJKLMNPQRSTUVXYWZIO';
const AREA_CODES = [
  10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35,
];
const WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 1] as const;

export const MAX_PEOPLE = 260_000_000;
const FOREIGN_EVERY = 50;
const CARD_BASE = 200_000_000_000;

/**
 * Person i's ID: area letter i mod 26, sex digit from the next bit, serial ⌊i/52⌋ (7 digits),
 * check digit. A bijection on indexes, so millions of IDs never collide.
 */
export function nationalIdAt(i: number): string {
  const letter = i % 26;
  const sexBit = Math.floor(i / 26) % 2;
  const foreign = i % FOREIGN_EVERY === FOREIGN_EVERY - 1;
  const second = (foreign ? 8 : 1) + sexBit;
  const serial = String(Math.floor(i / 52)).padStart(7, '0');
  const area = AREA_CODES[letter] as number;
  let sum = Math.floor(area / 10) + (area % 10) * 9 + second * 8;
  for (let k = 0; k < 7; k++) sum += (serial.charCodeAt(k) - 48) * (WEIGHTS[k + 1] as number);
  const check = (10 - (sum % 10)) % 10;
  return `${AREA_LETTERS[letter]}${second}${serial}${check}`;
}

export function isForeignAt(i: number): boolean {
  return i % FOREIGN_EVERY === FOREIGN_EVERY - 1;
}

/** 12-digit NHI card number of person i. */
export function cardNoAt(i: number): string {
  return String(CARD_BASE + i);
}

/** 10-character pharmacy code of pharmacy j. */
export function pharmacyCodeAt(j: number): string {
  return `58${String(j).padStart(8, '0')}`;
}

export function cardKeyPairs(seed: string, count: number): KeyPairPem[] {
  return Array.from({ length: count }, (_, k) => ed25519FromSeed(hmac(seed, `national-card-key:${k}`)));
}

/** A cheap integer hash (for names and birth dates: no need for the full PRNG per row). */
function mix(i: number): number {
  let h = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A bytea value in COPY's text format (hex input, the backslash escaped). */
function byteaText(value: Buffer | null): string {
  return value === null ? '\\N' : `\\\\x${value.toString('hex')}`;
}

/** COPY text format: backslash, tab and newlines escaped. */
function copyText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

export interface NationalOptions {
  databaseUrl: string;
  /** Seals names and IDs as the platform stores them (the same keys as the API server's). */
  vault: Vault;
  people: number;
  pharmacies: number;
  stores: number;
  seed?: string;
  /** How many key pairs the cards share (default 8). */
  keyPairs?: number;
  /** created_at of every row (default: 2020-03-01 00:00 Asia/Taipei). */
  createdAt?: Date;
  log?: (line: string) => void;
}

export interface TableReport {
  table: string;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
}

export interface NationalKeys {
  seed: string;
  /** Person i: nationalIdAt(i), cardNoAt(i) = String(cardNoBase + i), key cardKeys[i % cardKeys.length]. */
  people: number;
  cardNoBase: number;
  cardKeys: KeyPairPem[];
  pharmacies: { code: string; apiKey: string }[];
  stores: { id: number; chain: string; storeNo: string; apiKey: string }[];
}

export interface NationalReport {
  tables: TableReport[];
  seconds: number;
  keys: NationalKeys;
}

const ROWS_PER_CHUNK = 2000;

/** Stream rows into one table with COPY on its own connection (porsager/postgres#499). */
async function copyInto(
  url: string,
  statement: string,
  rowCount: number,
  row: (i: number) => string,
  progress?: (done: number) => void,
): Promise<void> {
  const conn = createSql(url, { max: 1 });
  try {
    const writable = await conn.unsafe(statement).writable();
    function* chunks(): Generator<string> {
      for (let start = 0; start < rowCount; start += ROWS_PER_CHUNK) {
        const end = Math.min(rowCount, start + ROWS_PER_CHUNK);
        let text = '';
        for (let i = start; i < end; i++) text += row(i);
        yield text;
        progress?.(end);
      }
    }
    await pipeline(Readable.from(chunks()), writable);
  } finally {
    await conn.end({ timeout: 5 });
  }
}

async function nextIdentity(sql: Sql, table: 'persons' | 'stores'): Promise<number> {
  const [row] = await sql<{ next: number }[]>`
    select greatest(
      (select coalesce(max(id), 0) from ${sql(table)}),
      coalesce(pg_sequence_last_value(pg_get_serial_sequence(${table}, 'id')::regclass), 0)
    ) + 1 as next`;
  return row?.next ?? 1;
}

async function advanceIdentity(sql: Sql, table: 'persons' | 'stores', last: number): Promise<void> {
  await sql`select setval(pg_get_serial_sequence(${table}, 'id'), ${last})`;
}

/**
 * Generate `people` people with cards, `pharmacies` pharmacies and `stores` stores (with
 * partner keys) into the migrated database at `databaseUrl`. Refuses to run twice on one
 * database. Not transactional as a whole: each table is one COPY (one transaction).
 */
export async function generateNational(options: NationalOptions): Promise<NationalReport> {
  const { databaseUrl: url, people, pharmacies, stores } = options;
  if (!Number.isInteger(people) || people < 0 || people > MAX_PEOPLE) {
    throw new Error(`people must be an integer from 0 to ${MAX_PEOPLE}`);
  }
  if (!Number.isInteger(pharmacies) || pharmacies < 0 || pharmacies >= 1e8)
    throw new Error('bad pharmacy count');
  if (!Number.isInteger(stores) || stores < 0 || stores >= 9e6) throw new Error('bad store count');
  const seed = options.seed || DEFAULT_DEMO_SEED;
  const log = options.log ?? (() => undefined);
  const createdAt = (options.createdAt ?? new Date('2020-03-01T00:00:00+08:00')).toISOString();
  const cardKeys = cardKeyPairs(seed, options.keyPairs ?? 8);
  const publicKeys = cardKeys.map((k) => copyText(k.publicKeyPem));
  const tables: TableReport[] = [];
  const started = performance.now();
  const timed = async (table: string, rows: number, work: () => Promise<void>) => {
    const t0 = performance.now();
    await work();
    const seconds = (performance.now() - t0) / 1000;
    const report = { table, rows, seconds, rowsPerSecond: seconds > 0 ? Math.round(rows / seconds) : rows };
    tables.push(report);
    log(`${table}: ${rows} rows in ${seconds.toFixed(1)} s = ${report.rowsPerSecond} rows/s`);
  };

  const sql = createSql(url, { max: 2 });
  try {
    const [clash] = await sql<{ people: boolean; pharmacies: boolean }[]>`
      select exists (select 1 from cards where card_no = ${cardNoAt(0)}) as people,
             exists (select 1 from pharmacies where code = ${pharmacyCodeAt(0)}) as pharmacies`;
    if ((people > 0 && clash?.people) || (pharmacies > 0 && clash?.pharmacies)) {
      throw new Error('national data is already in this database; use a new database or DATA_DIR');
    }

    // People and cards.
    const personBase = await nextIdentity(sql, 'persons');
    const every = Math.max(
      ROWS_PER_CHUNK,
      10 ** Math.max(0, Math.floor(Math.log10(Math.max(people, 1))) - 1),
    );
    let nextReport = every;
    const progress = (table: string) => (done: number) => {
      if (done >= nextReport) {
        log(`  ${table}: ${done} / ${people}`);
        nextReport = Math.min(people, done - (done % every) + every);
      }
    };
    await timed('persons', people, () =>
      copyInto(
        url,
        'copy persons (id, national_id, national_id_index, national_id_masked, name, birth_date, nationality, arc_number, arc_number_index, created_at) from stdin',
        people,
        (i) => {
          const h = mix(i);
          const id = nationalIdAt(i);
          const foreign = isForeignAt(i);
          const female = Math.floor(i / 26) % 2 === 1;
          const given = female ? GIVEN_F : GIVEN_M;
          const name = `${SURNAMES[h % SURNAMES.length]}${given[(h >>> 8) % given.length]}`;
          const year = 1925 + ((h >>> 12) % 95);
          const month = 1 + ((h >>> 20) % 12);
          const day = 1 + ((h >>> 24) % 28);
          const birth = `${year}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
          const p = sealPersonColumns(options.vault, {
            nationalId: id,
            name,
            arcNumber: foreign ? id : null,
          });
          const arc =
            p.arc_number === null ? '\\N\t\\N' : `${p.arc_number}\t${byteaText(p.arc_number_index)}`;
          return `${personBase + i}\t${p.national_id}\t${byteaText(p.national_id_index)}\t${p.national_id_masked}\t${p.name}\t${birth}\t${foreign ? 'foreign' : 'TW'}\t${arc}\t${createdAt}\n`;
        },
        progress('persons'),
      ),
    );
    if (people > 0) await advanceIdentity(sql, 'persons', personBase + people - 1);
    nextReport = every;
    await timed('cards', people, () =>
      copyInto(
        url,
        'copy cards (card_no, person_id, public_key_pem, issued_at) from stdin',
        people,
        (i) => `${cardNoAt(i)}\t${personBase + i}\t${publicKeys[i % publicKeys.length]}\t${createdAt}\n`,
        progress('cards'),
      ),
    );

    // Pharmacies: spread by population, addresses and stock as in the demo.
    const pharmacyRows = buildPharmacyRows(seed, pharmacies);
    await timed('pharmacies', pharmacies, () =>
      copyInto(
        url,
        'copy pharmacies (code, name, address, phone, city, district, lat, lng, adult_stock, child_stock, stock_updated_at, created_at) from stdin',
        pharmacies,
        (j) => {
          const p = pharmacyRows[j] as PharmacyRow;
          return `${p.code}\t${p.name}\t${p.address}\t${p.phone}\t${p.city}\t${p.district}\t${p.lat}\t${p.lng}\t${p.adult}\t${p.child}\t${createdAt}\t${createdAt}\n`;
        },
      ),
    );

    // Stores: every chain in every county when there are enough, then by market share.
    const storeBase = await nextIdentity(sql, 'stores');
    const storeRows = buildStoreRows(seed, stores);
    await timed('stores', stores, () =>
      copyInto(
        url,
        'copy stores (id, chain, store_no, name, address, city, district, lat, lng, created_at) from stdin',
        stores,
        (k) => {
          const s = storeRows[k] as StoreRow;
          return `${storeBase + k}\t${s.chain}\t${s.storeNo}\t${s.name}\t${s.address}\t${s.city}\t${s.district}\t${s.lat}\t${s.lng}\t${createdAt}\n`;
        },
      ),
    );
    if (stores > 0) await advanceIdentity(sql, 'stores', storeBase + stores - 1);

    const keys: NationalKeys = {
      seed,
      people,
      cardNoBase: CARD_BASE,
      cardKeys,
      pharmacies: pharmacyRows.map((p) => ({
        code: p.code,
        apiKey: derivedPartnerKey(seed, 'pharmacy', p.code),
      })),
      stores: storeRows.map((s, k) => ({
        id: storeBase + k,
        chain: s.chain,
        storeNo: s.storeNo,
        apiKey: derivedPartnerKey(seed, 'store', `${s.chain}:${s.storeNo}`),
      })),
    };
    const partnerKeys = [
      ...keys.pharmacies.map((p) => ({ hash: tokenHash(p.apiKey), kind: 'pharmacy', ref: p.code })),
      ...keys.stores.map((s) => ({ hash: tokenHash(s.apiKey), kind: 'store', ref: String(s.id) })),
    ];
    await timed('partner_keys', partnerKeys.length, () =>
      copyInto(
        url,
        'copy partner_keys (key_hash, kind, partner_ref, created_at) from stdin',
        partnerKeys.length,
        (n) => {
          const k = partnerKeys[n] as (typeof partnerKeys)[number];
          return `\\\\x${k.hash.toString('hex')}\t${k.kind}\t${k.ref}\t${createdAt}\n`;
        },
      ),
    );
    const t0 = performance.now();
    await sql`analyze persons, cards, pharmacies, stores, partner_keys`;
    log(`analyze: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const seconds = (performance.now() - started) / 1000;
    const rows = tables.reduce((s, t) => s + t.rows, 0);
    log(`total: ${rows} rows in ${seconds.toFixed(1)} s = ${Math.round(rows / seconds)} rows/s`);
    return { tables, seconds, keys };
  } finally {
    await sql.end({ timeout: 5 });
  }
}

interface PharmacyRow {
  code: string;
  name: string;
  address: string;
  phone: string;
  city: string;
  district: string;
  lat: number;
  lng: number;
  adult: number;
  child: number;
}

function buildPharmacyRows(seed: string, total: number): PharmacyRow[] {
  const rng = new Rng(seed, 'national-pharmacies');
  const counts = allocateByPopulation(total, total >= COUNTIES.length ? 1 : 0);
  const rows: PharmacyRow[] = [];
  COUNTIES.forEach((county, c) => {
    for (let n = 0; n < (counts[c] ?? 0); n++) {
      const place = placeIn(county, rng);
      rows.push({
        code: pharmacyCodeAt(rows.length),
        name: `${rng.pick(PHARMACY_NAMES)}${shortDistrict(place.district)}藥局`,
        address: place.address,
        phone: landlineIn(county, rng),
        city: place.city,
        district: place.district,
        lat: place.lat,
        lng: place.lng,
        // NHI's allotment of March 2020: 200 adult packs (600 masks) and 50 child packs (250).
        adult: 600,
        child: 250,
      });
    }
  });
  return rows;
}

interface StoreRow {
  chain: (typeof CHAINS)[number];
  storeNo: string;
  name: string;
  address: string;
  city: string;
  district: string;
  lat: number;
  lng: number;
}

function buildStoreRows(seed: string, total: number): StoreRow[] {
  const rng = new Rng(seed, 'national-stores');
  const minimum = total >= COUNTIES.length * CHAINS.length ? CHAINS.length : 0;
  const counts = allocateByPopulation(total, minimum);
  const rows: StoreRow[] = [];
  COUNTIES.forEach((county, c) => {
    for (let n = 0; n < (counts[c] ?? 0); n++) {
      const chain = (n < minimum ? CHAINS[n] : CHAINS[rng.weighted(CHAIN_SHARE)]) as StoreRow['chain'];
      const place = placeIn(county, rng);
      // 7-digit store numbers: the demo's are 4 or 6 digits, so both fit in one database.
      const storeNo = String(1_000_000 + rows.length);
      rows.push({
        chain,
        storeNo,
        name: storeName(
          chain,
          `${shortDistrict(place.district)}${rng.pick(STORE_WORDS)}${storeNo.slice(-4)}`,
        ),
        address: place.address,
        city: place.city,
        district: place.district,
        lat: place.lat,
        lng: place.lng,
      });
    }
  });
  return rows;
}
