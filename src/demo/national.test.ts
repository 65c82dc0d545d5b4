import { createHash, createPrivateKey, sign } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/app.js';
import { verifyEd25519 } from '../identity/challenges.js';
import { loadConfig } from '../platform/config.js';
import { createSql, type Sql } from '../platform/db.js';
import { Vault, vaultFor } from '../platform/vault.js';
import { idKind, isNationalId, isNewArcNumber, isNhiCardNo } from '../rules/ids.js';
import { CHAINS } from './demo-dataset.js';
import { TAIWAN_BOUNDS } from './geography.js';
import {
  cardNoAt,
  generateNational,
  isForeignAt,
  type NationalReport,
  nationalIdAt,
  pharmacyCodeAt,
} from './national.js';

const vault = vaultFor(loadConfig({}));

describe('national IDs from an index', () => {
  it('are valid and of the right kind for every index', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 259_999_999 }), (i) => {
        const id = nationalIdAt(i);
        expect(isForeignAt(i) ? isNewArcNumber(id) : isNationalId(id)).toBe(true);
        expect(isNhiCardNo(cardNoAt(i))).toBe(true);
        // serials stay below the demo's (5,000,000 and up)
        expect(Number(id.slice(2, 9))).toBeLessThan(5_000_000);
      }),
    );
  });

  it('never collide between two indexes', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 259_999_999 }),
        fc.integer({ min: 0, max: 259_999_999 }),
        (a, b) => {
          fc.pre(a !== b);
          expect(nationalIdAt(a)).not.toBe(nationalIdAt(b));
          expect(cardNoAt(a)).not.toBe(cardNoAt(b));
        },
      ),
    );
    const first = new Set(Array.from({ length: 100_000 }, (_, i) => nationalIdAt(i)));
    expect(first.size).toBe(100_000);
  });
});

describe('generateNational', () => {
  let url: string;
  let sql: Sql;
  let report: NationalReport;
  const lines: string[] = [];

  beforeAll(async () => {
    url = await createTestDatabase();
    sql = createSql(url, { max: 2 });
    report = await generateNational({
      databaseUrl: url,
      people: 20_000,
      pharmacies: 300,
      stores: 500,
      seed: 'national-test',
      keyPairs: 4,
      vault,
      log: (line) => lines.push(line),
    });
  });
  afterAll(() => sql.end());

  it('writes the asked numbers of rows and reports rows per second', async () => {
    const [counts] = await sql<
      { persons: number; cards: number; pharmacies: number; stores: number; keys: number }[]
    >`
      select (select count(*) from persons)::int as persons, (select count(*) from cards)::int as cards,
             (select count(*) from pharmacies)::int as pharmacies, (select count(*) from stores)::int as stores,
             (select count(*) from partner_keys)::int as keys`;
    expect(counts).toEqual({ persons: 20_000, cards: 20_000, pharmacies: 300, stores: 500, keys: 800 });
    expect(report.tables.map((t) => t.table)).toEqual([
      'persons',
      'cards',
      'pharmacies',
      'stores',
      'partner_keys',
    ]);
    expect(report.tables.every((t) => t.rowsPerSecond > 0)).toBe(true);
    expect(lines.some((l) => /^persons: 20000 rows in .* rows\/s$/.test(l))).toBe(true);
  });

  it('writes unique, valid IDs and 12-digit card numbers, one valid card per person', async () => {
    const sealed = await sql<
      {
        national_id: string;
        nationality: string;
        arc_number: string | null;
        card_no: string;
        found: boolean;
      }[]
    >`
      select p.national_id, p.nationality, p.arc_number, c.card_no, p.national_id_index is not null as found
      from persons p join cards c on c.person_id = p.id and c.revoked_at is null`;
    // Stored sealed (AES-256-GCM), with the blind index a look-up needs.
    expect(sealed.every((r) => Vault.isSealed(r.national_id) && r.found)).toBe(true);
    const rows = sealed.map((r) => ({
      ...r,
      national_id: vault.open('national_id', r.national_id),
      arc_number: vault.openOptional('arc_number', r.arc_number),
    }));
    expect(rows).toHaveLength(20_000);
    expect(new Set(rows.map((r) => r.national_id)).size).toBe(20_000);
    expect(new Set(rows.map((r) => r.card_no)).size).toBe(20_000);
    for (const r of rows) {
      const kind = idKind(r.national_id);
      expect(kind).toBe(r.nationality === 'TW' ? 'national' : 'arc_new');
      if (r.nationality === 'foreign') expect(r.arc_number).toBe(r.national_id);
      expect(r.card_no).toMatch(/^\d{12}$/);
    }
    expect(rows.filter((r) => r.nationality === 'foreign')).toHaveLength(400);
  });

  it('matches index, ID, card number and card key so a load generator can recompute them', async () => {
    const i = 12_345;
    const [row] = await sql<{ public_key_pem: string; national_id: string }[]>`
      select c.public_key_pem, p.national_id from cards c join persons p on p.id = c.person_id
      where c.card_no = ${cardNoAt(i)} and p.national_id_index = ${vault.index('national_id', nationalIdAt(i))}`;
    expect(vault.open('national_id', row?.national_id ?? '')).toBe(nationalIdAt(i));
    const key = report.keys.cardKeys[i % report.keys.cardKeys.length];
    if (!row || !key) throw new Error('missing');
    expect(row.public_key_pem).toBe(key.publicKeyPem);
    const nonce = 'benchmark-nonce';
    const signature = sign(null, Buffer.from(nonce), createPrivateKey(key.privateKeyPem)).toString(
      'base64url',
    );
    expect(verifyEd25519(row.public_key_pem, nonce, signature)).toBe(true);
  });

  it('keeps the identity sequences ahead of the copied ids', async () => {
    const [p] = await sql<{ id: number; max: number }[]>`
      insert into persons (national_id, national_id_index, name, birth_date, nationality, created_at)
      values ('Z299999999', '\\x00', 'x', '1990-01-01', 'TW', now()) returning id, (select max(id) from persons) as max`;
    expect(p && p.id > p.max).toBe(true);
    const [s] = await sql<{ id: number }[]>`
      insert into stores (chain, store_no, name, address, city, district, created_at)
      values ('OK', 'x1', 'x', 'x', '臺北市', '中正區', now()) returning id`;
    expect(s?.id).toBeGreaterThan(Math.max(...report.keys.stores.map((k) => k.id)));
  });

  it('spreads pharmacies and stores over all 22 cities, all four chains, inside Taiwan, with partner keys', async () => {
    const [geo] = await sql<
      { cities: number; chainCities: number; outside: number; pharmacyCities: number }[]
    >`
      select (select count(distinct city) from stores)::int as cities,
             (select count(distinct (city, chain)) from stores)::int as "chainCities",
             (select count(distinct city) from pharmacies)::int as "pharmacyCities",
             (select count(*) from (select lat, lng from stores union all select lat, lng from pharmacies) x
               where not (lat between ${TAIWAN_BOUNDS.minLat} and ${TAIWAN_BOUNDS.maxLat}
                      and lng between ${TAIWAN_BOUNDS.minLng} and ${TAIWAN_BOUNDS.maxLng}))::int as outside`;
    expect(geo).toEqual({ cities: 22, chainCities: 22 * CHAINS.length, outside: 0, pharmacyCities: 22 });
    const pharmacy = report.keys.pharmacies[7];
    expect(pharmacy?.code).toBe(pharmacyCodeAt(7));
    const hash = createHash('sha256')
      .update(pharmacy?.apiKey ?? '')
      .digest();
    const [key] = await sql<{ kind: string; partner_ref: string }[]>`
      select kind, partner_ref from partner_keys where key_hash = ${hash}`;
    expect(key).toEqual({ kind: 'pharmacy', partner_ref: pharmacyCodeAt(7) });
  });

  it('refuses to run twice on the same database', async () => {
    await expect(
      generateNational({
        databaseUrl: url,
        people: 10,
        pharmacies: 0,
        stores: 0,
        seed: 'national-test',
        vault,
      }),
    ).rejects.toThrow(/already/);
  });
});
