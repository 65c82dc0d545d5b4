// Over 300 lines: the demo data set, its keys and its loading rules are checked against one loaded data set.
import { createHash, createPrivateKey, randomBytes, sign } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/support/app.js';
import { adminLogin, createRound } from '../../test/support/factories.js';
import { setUpTestApp } from '../../test/support/fixture.js';
import { client } from '../../test/support/http.js';
import { verifyEd25519 } from '../identity/challenges.js';
import { phoneRefusal } from '../identity/phone-eligibility.js';
import { requirePartner } from '../platform/auth.js';
import { idKind, isOldArcNumber, maskId } from '../rules/ids.js';
import { ageOn } from '../rules/taipei-date.js';
import { findSubscriber } from '../sim/telecom.repo.js';
import {
  buildDemoDataset,
  CHAINS,
  createDemoDataset,
  EXPECTED_PHONE_CHECK,
  MAJOR_CARRIERS,
  type TelecomCase,
} from './demo-dataset.js';
import { DEFAULT_DEMO_SEED } from './derive.js';
import { COUNTIES, TAIWAN_BOUNDS } from './geography.js';
import type { DemoData } from './get-demo-data.js';
import { loadDemoData } from './load-demo-data.js';

const t = setUpTestApp();
const api = t.api;
let demo: DemoData;

const sha256Hex = (text: string) => createHash('sha256').update(text).digest('hex');

const TABLES = [
  'rounds',
  'persons',
  'cards',
  'pharmacies',
  'stores',
  'airport_counters',
  'partner_keys',
  'telecom_subscribers',
] as const;

async function counts(sql: TestApp['sql']): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of TABLES) {
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from ${sql(table)}`;
    out[table] = row?.n ?? -1;
  }
  return out;
}

beforeAll(async () => {
  const result = await loadDemoData(t.deps);
  expect(result).toMatchObject({ loaded: true });
  const res = await api.get<DemoData>('/api/v1/sim/demo-data');
  expect(res.status).toBe(200);
  demo = res.body;
});

describe('the demo data set', () => {
  it('has rounds 1 and 2 with the exact instants of the seeds (Asia/Taipei)', async () => {
    const rows = await t.sql<
      {
        name: string;
        ro: Date;
        rc: Date;
        po: Date;
        pc: Date;
        ps: string;
        pe: string;
        supply: number;
      }[]
    >`select name, registration_opens_at as ro, registration_closes_at as rc, payment_opens_at as po,
             payment_closes_at as pc, to_char(pickup_starts_on, 'YYYY-MM-DD') as ps,
             to_char(pickup_ends_on, 'YYYY-MM-DD') as pe, supply_packs as supply
      from rounds order by registration_opens_at`;
    const iso = (d: Date) => d.toISOString();
    expect(
      rows.map((r) => ({
        name: r.name,
        ro: iso(r.ro),
        rc: iso(r.rc),
        po: iso(r.po),
        pc: iso(r.pc),
        ps: r.ps,
        pe: r.pe,
        supply: r.supply,
      })),
    ).toEqual([
      {
        name: '第1期網路預購',
        ro: iso(new Date('2020-03-12T09:00:00+08:00')),
        rc: iso(new Date('2020-03-18T20:00:00+08:00')),
        po: iso(new Date('2020-03-19T09:00:00+08:00')),
        pc: iso(new Date('2020-03-25T20:00:00+08:00')),
        ps: '2020-03-26',
        pe: '2020-04-01',
        supply: 2_330_000,
      },
      {
        name: '第2期網路預購',
        ro: iso(new Date('2020-03-25T08:00:00+08:00')),
        rc: iso(new Date('2020-03-27T20:00:00+08:00')),
        po: iso(new Date('2020-03-28T08:00:00+08:00')),
        pc: iso(new Date('2020-03-30T20:00:00+08:00')),
        ps: '2020-04-02',
        pe: '2020-04-08',
        supply: 2_330_000,
      },
    ]);
    const pub = await api.get<{ rounds: { id: number; state: string }[] }>('/api/v1/rounds');
    expect(pub.body.rounds.map((r) => r.id)).toEqual(demo.rounds.map((r) => r.id));
  });

  it('has a person for every telecom case, and the phone check answers each as documented', async () => {
    const cases = Object.keys(EXPECTED_PHONE_CHECK) as TelecomCase[];
    for (const c of cases) expect(demo.people.some((p) => p.telecomCase === c)).toBe(true);
    for (const carrier of MAJOR_CARRIERS) {
      const good = demo.people.filter((p) => p.telecomCase === 'own_monthly' && p.carrier === carrier);
      expect(good.length).toBeGreaterThanOrEqual(2);
    }
    const withPhone = demo.people.filter((p) => p.phone !== null);
    for (const person of withPhone) {
      const subscriber = await findSubscriber(t.sql, person.phone as string);
      const refusal = phoneRefusal(subscriber, {
        nationalId: person.nationalId,
        personIsForeign: person.nationality === 'foreign',
      });
      expect({ key: person.key, answer: refusal ?? 'ok' }).toEqual({
        key: person.key,
        answer: person.expectedPhoneCheck,
      });
    }
  });

  it('has adults and children (one turning 17 during the demo), odd and even IDs, valid old and new ARCs', async () => {
    const people = (
      await t.sql<{ national_id: string; birth_date: string; nationality: string; arc: string | null }[]>`
        select national_id, to_char(birth_date, 'YYYY-MM-DD') as birth_date, nationality, arc_number as arc from persons`
    ).map((p) => ({
      ...p,
      national_id: t.deps.vault.open('national_id', p.national_id),
      arc: t.deps.vault.openOptional('arc_number', p.arc),
    }));
    expect(people.length).toBeGreaterThanOrEqual(55);
    for (const p of people) expect(idKind(p.national_id)).not.toBeNull();
    const children = people.filter((p) => ageOn(p.birth_date, '2020-03-12') <= 16);
    expect(children.length).toBeGreaterThanOrEqual(5);
    const turning = children.filter((p) => ageOn(p.birth_date, '2020-04-08') === 17);
    expect(turning).toHaveLength(1);
    expect(people.filter((p) => ageOn(p.birth_date, '2020-03-12') > 16).length).toBeGreaterThan(30);
    const foreign = people.filter((p) => p.nationality === 'foreign');
    expect(foreign.filter((p) => idKind(p.national_id) === 'arc_old').length).toBeGreaterThanOrEqual(2);
    expect(foreign.filter((p) => idKind(p.national_id) === 'arc_new').length).toBeGreaterThanOrEqual(2);
    expect(foreign.every((p) => p.arc === p.national_id)).toBe(true);
    expect(
      people.filter((p) => p.nationality === 'TW').every((p) => idKind(p.national_id) === 'national'),
    ).toBe(true);
    const parity = people.map((p) => Number(p.national_id.at(-1)) % 2);
    expect(parity.filter((d) => d === 1).length).toBeGreaterThan(20);
    expect(parity.filter((d) => d === 0).length).toBeGreaterThan(20);
    expect(demo.people.some((p) => p.idFormat === 'arc_old' && isOldArcNumber(p.nationalId))).toBe(true);
  });

  it('has pharmacies with stock and coordinates inside Taiwan, in every city', async () => {
    const rows = await t.sql<
      {
        code: string;
        city: string;
        district: string;
        address: string;
        lat: number;
        lng: number;
        adult: number;
        child: number;
      }[]
    >`select code, city, district, address, lat, lng, adult_stock as adult, child_stock as child from pharmacies`;
    expect(rows.length).toBeGreaterThanOrEqual(180);
    expect(new Set(rows.map((r) => r.city)).size).toBe(22);
    for (const r of rows) {
      expect(r.code).toMatch(/^\d{10}$/);
      expect(r.address.startsWith(`${r.city}${r.district}`)).toBe(true);
      expect(r.lat).toBeGreaterThan(TAIWAN_BOUNDS.minLat);
      expect(r.lat).toBeLessThan(TAIWAN_BOUNDS.maxLat);
      expect(r.lng).toBeGreaterThan(TAIWAN_BOUNDS.minLng);
      expect(r.lng).toBeLessThan(TAIWAN_BOUNDS.maxLng);
      expect(r.adult % 3).toBe(0);
      expect(r.child % 5).toBe(0);
    }
    expect(rows.filter((r) => r.adult > 0 && r.child > 0).length).toBeGreaterThan(rows.length / 2);
  });

  it('has stores of all four chains in all 22 cities, near their county', async () => {
    const rows = await t.sql<
      { chain: string; city: string; district: string; address: string; lat: number; lng: number }[]
    >`
      select chain, city, district, address, lat, lng from stores`;
    expect(rows.length).toBeGreaterThanOrEqual(380);
    for (const county of COUNTIES) {
      for (const chain of CHAINS) {
        expect(rows.some((r) => r.city === county.city && r.chain === chain)).toBe(true);
      }
    }
    for (const r of rows) {
      const county = COUNTIES.find((c) => c.city === r.city);
      expect(county?.districts).toContain(r.district);
      expect(r.address.startsWith(`${r.city}${r.district}`)).toBe(true);
      if (!county) continue;
      expect(Math.abs(r.lat - county.lat)).toBeLessThanOrEqual(county.spread + 1e-9);
      expect(Math.abs(r.lng - county.lng)).toBeLessThanOrEqual(county.spread + 1e-9);
    }
    const list = await api.get<{ stores: { chain: string }[] }>(
      `/api/v1/stores?city=${encodeURIComponent('連江縣')}`,
    );
    expect(new Set(list.body.stores.map((s) => s.chain))).toEqual(new Set(CHAINS));
  });

  it('does not load twice: a second load, also through a restart, adds nothing', async () => {
    const before = await counts(t.sql);
    expect(await loadDemoData(t.deps)).toEqual({ loaded: false, skipped: 'already_loaded' });
    const [first, second] = await Promise.all([loadDemoData(t.deps), loadDemoData(t.deps)]);
    expect([first.loaded, second.loaded]).toEqual([false, false]);
    const { startPlatform } = await import('../server.js');
    const restarted = await startPlatform({
      config: t.deps.config,
      databaseUrl: t.databaseUrl,
      afterMigrate: async (deps) => {
        await loadDemoData(deps);
      },
    });
    await restarted.close();
    expect(await counts(t.sql)).toEqual(before);
  });
});

describe('demo keys', () => {
  it('lets a demo pharmacy key from /sim/demo-data authenticate as that pharmacy, and only it', async () => {
    const pharmacy = demo.pharmacies[3];
    if (!pharmacy) throw new Error('no pharmacy');
    const hash = createHash('sha256').update(pharmacy.apiKey).digest();
    const rows = await t.sql<{ kind: string; partner_ref: string }[]>`
      select kind, partner_ref from partner_keys where key_hash = ${hash} and revoked_at is null`;
    expect(rows).toEqual([{ kind: 'pharmacy', partner_ref: pharmacy.code }]);

    const guard = requirePartner(t.deps, 'pharmacy', 'code');
    const request = (code: string, key: string) =>
      ({
        headers: { authorization: `Bearer ${key}` },
        params: { code },
        principal: null,
      }) as unknown as FastifyRequest;
    const reply = {} as FastifyReply;
    const ok = request(pharmacy.code, pharmacy.apiKey);
    await guard(ok, reply);
    expect(ok.principal).toEqual({ kind: 'partner', partnerKind: 'pharmacy', partnerRef: pharmacy.code });
    const other = demo.pharmacies[4]?.code as string;
    await expect(guard(request(other, pharmacy.apiKey), reply)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(guard(request(pharmacy.code, `${pharmacy.apiKey}x`), reply)).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
  });

  it('lists store and airport counter keys that match their stored hashes', async () => {
    expect(demo.stores.length).toBeGreaterThanOrEqual(88);
    expect(demo.airportCounters.map((c) => c.name)).toEqual(['桃園機場第一航廈', '桃園機場第二航廈']);
    for (const partner of [
      ...demo.stores.slice(0, 10).map((s) => ({ kind: 'store', ref: String(s.id), key: s.apiKey })),
      ...demo.airportCounters.map((c) => ({ kind: 'airport', ref: String(c.id), key: c.apiKey })),
    ]) {
      const hash = createHash('sha256').update(partner.key).digest();
      const rows = await t.sql<{ kind: string; partner_ref: string }[]>`
        select kind, partner_ref from partner_keys where key_hash = ${hash}`;
      expect(rows).toEqual([{ kind: partner.kind, partner_ref: partner.ref }]);
    }
    const [stored] = await t.sql<{ n: number }[]>`select count(*)::int as n from partner_keys`;
    expect(stored?.n).toBe(demo.pharmacies.length + 400 + 2);
  });

  it('gives every demo person a card whose private key matches the stored public key', async () => {
    expect(demo.people).toHaveLength(60);
    for (const person of demo.people) {
      expect(person.nationalIdMasked).toBe(maskId(person.nationalId));
      const [card] = await t.sql<{ public_key_pem: string; national_id: string }[]>`
        select c.public_key_pem, p.national_id from cards c join persons p on p.id = c.person_id
        where c.card_no = ${person.cardNo} and c.revoked_at is null`;
      expect(t.deps.vault.open('national_id', card?.national_id ?? '')).toBe(person.nationalId);
      const nonce = randomBytes(32).toString('base64url');
      const signature = sign(
        null,
        Buffer.from(nonce, 'utf8'),
        createPrivateKey(person.privateKeyPem),
      ).toString('base64url');
      expect(verifyEd25519(card?.public_key_pem ?? '', nonce, signature)).toBe(true);
      expect(verifyEd25519(card?.public_key_pem ?? '', `${nonce}x`, signature)).toBe(false);
    }
    const stored = await t.sql`select * from cards`;
    expect(JSON.stringify(stored)).not.toContain('PRIVATE');
  });

  it('derives the same keys and rows on another database from the same seed, other keys from another seed', async () => {
    const other = await startTestApp();
    try {
      expect((await loadDemoData(other.deps)).loaded).toBe(true);
      const snapshot = async (sql: TestApp['sql']) => ({
        keys: (
          await sql<
            { h: string }[]
          >`select kind || ':' || encode(key_hash, 'hex') as h from partner_keys order by 1`
        ).map((r) => r.h),
        cards: await sql`select card_no, public_key_pem from cards order by card_no`,
        // Sealed values differ on every sealing; what they hold, and the blind index, do not.
        people: (
          await sql<{ national_id: string; name: string; birth_date: Date; idx: string }[]>`
            select national_id, name, birth_date, encode(national_id_index, 'hex') as idx from persons order by idx`
        ).map((p) => ({
          ...p,
          national_id: t.deps.vault.open('national_id', p.national_id),
          name: t.deps.vault.open('name', p.name),
        })),
        subscribers:
          await sql`select phone, carrier, plan, owner_id, status, mobile_data from telecom_subscribers order by phone`,
      });
      expect(await snapshot(other.sql)).toEqual(await snapshot(t.sql));
      const otherDemo = await client(other.url).get<DemoData>('/api/v1/sim/demo-data');
      expect(otherDemo.body.people.map((p) => p.privateKeyPem)).toEqual(
        demo.people.map((p) => p.privateKeyPem),
      );
      // and a fresh derivation (no memo) gives exactly the stored hashes and public keys
      const fresh = createDemoDataset(DEFAULT_DEMO_SEED);
      const hashes = [
        ...fresh.pharmacies.map((p) => `pharmacy:${sha256Hex(p.apiKey)}`),
        ...fresh.stores.map((s) => `store:${sha256Hex(s.apiKey)}`),
        ...fresh.counters.map((c) => `airport:${sha256Hex(c.apiKey)}`),
      ].sort();
      expect((await snapshot(other.sql)).keys).toEqual(hashes);
      const cards = await other.sql<{ card_no: string; public_key_pem: string }[]>`
        select card_no, public_key_pem from cards order by card_no`;
      expect(cards).toEqual(
        fresh.people.map((p) => ({ card_no: p.cardNo, public_key_pem: p.card.publicKeyPem })),
      );
    } finally {
      await other.close();
    }
    const a = buildDemoDataset('seed-a');
    const b = buildDemoDataset('seed-b');
    expect(a.pharmacies[0]?.apiKey).not.toBe(b.pharmacies[0]?.apiKey);
    expect(a.people[0]?.card.privateKeyPem).not.toBe(b.people[0]?.card.privateKeyPem);
  });
});

describe('loading rules and the simulator endpoint', () => {
  it('loads nothing into a system that already holds data', async () => {
    const busy = await startTestApp();
    try {
      const admin = await adminLogin(client(busy.url));
      await createRound(client(busy.url), admin, { name: 'operator round' });
      expect(await loadDemoData(busy.deps)).toEqual({ loaded: false, skipped: 'not_empty' });
      const [row] = await busy.sql<{ n: number }[]>`select count(*)::int as n from persons`;
      expect(row?.n).toBe(0);
      const res = await client(busy.url).get<DemoData>('/api/v1/sim/demo-data');
      expect(res.body).toMatchObject({ loaded: false, people: [], pharmacies: [] });
    } finally {
      await busy.close();
    }
  });

  it('answers 404 for /sim/demo-data when simulators are off', async () => {
    const off = await startTestApp({ SIMULATORS: 'off', DATABASE_URL: t.databaseUrl });
    try {
      const res = await client(off.url).get('/api/v1/sim/demo-data');
      expect(res.status).toBe(404);
      expect(res.text).not.toContain('pk_');
    } finally {
      await off.close();
    }
  });
});
