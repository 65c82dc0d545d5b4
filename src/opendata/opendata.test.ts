import { request as httpRequest } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  cardPresence,
  createPharmacy,
  issueCard,
  setClock,
  setPharmacyStock,
} from '../../test/support/factories.js';
import { setUpTestApp } from '../../test/support/fixture.js';
import { CHECK_INTERVAL_MS } from './snapshot.js';

const t = setUpTestApp();
const api = t.api;
let admin: string;
const CSV = '/api/v1/open-data/pharmacy-stock.csv';
const JSON_URL = '/api/v1/open-data/pharmacy-stock.json';
const HEADER =
  '醫事機構代碼,醫事機構名稱,醫事機構地址,醫事機構電話,成人口罩剩餘數,兒童口罩剩餘數,來源資料時間';
const identity = { 'accept-encoding': 'identity' };

/** Raw bytes and headers, without fetch's transparent decompression. */
function raw(path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>(
    (resolve, reject) => {
      const req = httpRequest(`${t.url}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      });
      req.on('error', reject);
      req.end();
    },
  );
}

let pharmacy: { code: string; apiKey: string };
let mapped: { code: string; apiKey: string };

beforeAll(async () => {
  await setClock(api, '2020-03-15T10:03:04+08:00');
  admin = await t.admin();
  pharmacy = await createPharmacy(api, admin, { code: '5901000001', name: '大安"好"藥局, 復興店' });
  mapped = await createPharmacy(api, admin, {
    code: '5901000002',
    name: '信義藥局',
    address: '臺北市信義區松仁路100號',
    phone: '02-27222222',
    lat: 25.0375,
    lng: 121.5637,
  });
  await setPharmacyStock(api, pharmacy, { adult: 600, child: 250 });
});

describe('open data: pharmacy stock CSV', () => {
  it("starts with NHI's header, byte for byte, UTF-8 without BOM, one row per pharmacy", async () => {
    const res = await raw(CSV, identity);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const expected = Buffer.from(`${HEADER}\n`, 'utf8');
    expect(res.body.subarray(0, expected.length).equals(expected)).toBe(true);
    const lines = res.body.toString('utf8').trimEnd().split('\n');
    expect(lines).toEqual([
      HEADER,
      '5901000001,"大安""好""藥局, 復興店",臺北市大安區信義路四段1號,(02)27001234,600,250,2020/03/15 10:03:04',
      '5901000002,信義藥局,臺北市信義區松仁路100號,02-27222222,0,0,2020/03/15 10:03:04',
    ]);
    expect(res.headers.etag).toMatch(/^"[^"]+"$/);
    expect(res.headers['last-modified']).toBe(new Date('2020-03-15T10:03:04+08:00').toUTCString());
  });

  it('answers 304 to If-None-Match and If-Modified-Since, 200 when they are stale', async () => {
    const first = await raw(CSV, identity);
    const etag = String(first.headers.etag);
    const same = await raw(CSV, { ...identity, 'if-none-match': etag });
    expect(same.status).toBe(304);
    expect(same.body.length).toBe(0);
    expect(same.headers.etag).toBe(etag);
    const other = await raw(CSV, { ...identity, 'if-none-match': '"something-else"' });
    expect(other.status).toBe(200);
    const since = await raw(CSV, {
      ...identity,
      'if-modified-since': String(first.headers['last-modified']),
    });
    expect(since.status).toBe(304);
    const older = await raw(CSV, { ...identity, 'if-modified-since': new Date('2020-03-01').toUTCString() });
    expect(older.status).toBe(200);
  });

  it('serves the pre-compressed gzip copy when the client accepts it', async () => {
    const plain = await raw(CSV, identity);
    const zipped = await raw(CSV, { 'accept-encoding': 'gzip, deflate' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toBe('Accept-Encoding');
    expect(gunzipSync(zipped.body).equals(plain.body)).toBe(true);
    expect(zipped.headers.etag).not.toBe(plain.headers.etag);
    const revalidate = await raw(CSV, {
      'accept-encoding': 'gzip',
      'if-none-match': String(zipped.headers.etag),
    });
    expect(revalidate.status).toBe(304);
  });

  it('is refreshed right after a sale and a stock report through this process', async () => {
    const before = await raw(CSV, identity);
    const card = await issueCard(api, admin, { birthDate: '2012-01-01' });
    const presence = await cardPresence(t.deps.vault, card, t.deps.clock.now());
    const sale = await api.post(
      `/api/v1/pharmacies/${pharmacy.code}/sales`,
      { cardNo: card.cardNo, ...presence, item: 'child' },
      { token: pharmacy.apiKey },
    );
    expect(sale.status).toBe(201);
    const after = await raw(CSV, { ...identity, 'if-none-match': String(before.headers.etag) });
    expect(after.status).toBe(200);
    expect(after.body.toString('utf8')).toContain(',600,245,');
    await setPharmacyStock(api, mapped, { adult: 90, child: 10 });
    expect((await raw(CSV, identity)).body.toString('utf8')).toContain('02-27222222,90,10,');
  });

  it('picks up a change made by another process within the check interval', async () => {
    await raw(CSV, identity);
    await t.sql`update pharmacies set adult_stock = 123 where code = ${mapped.code}`;
    await new Promise((resolve) => setTimeout(resolve, CHECK_INTERVAL_MS + 100));
    expect((await raw(CSV, identity)).body.toString('utf8')).toContain('02-27222222,123,');
  });
});

describe('open data: GeoJSON', () => {
  it('has the same rows as features with [lng, lat] or a null geometry', async () => {
    const res = await api.get<{
      type: string;
      features: {
        geometry: { type: string; coordinates: number[] } | null;
        properties: Record<string, unknown>;
      }[];
    }>(JSON_URL);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('json');
    expect(res.body.type).toBe('FeatureCollection');
    const byCode = new Map(res.body.features.map((f) => [f.properties.code, f]));
    expect(byCode.get(pharmacy.code)?.geometry).toBeNull();
    expect(byCode.get(mapped.code)).toEqual({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [121.5637, 25.0375] },
      properties: {
        code: mapped.code,
        name: '信義藥局',
        address: '臺北市信義區松仁路100號',
        phone: '02-27222222',
        adult: expect.any(Number),
        child: expect.any(Number),
        updatedAt: '2020-03-15T10:03:04+08:00',
      },
    });
    const etag = res.headers.get('etag') as string;
    expect((await api.get(JSON_URL, { headers: { 'if-none-match': etag } })).status).toBe(304);
  });
});

describe('open data: formula injection', () => {
  it("a pharmacy named =HYPERLINK(…) reaches the CSV as text (a leading '), the GeoJSON raw", async () => {
    const name = '=HYPERLINK("http://x","y")';
    const address = "@SUM(1+1)*cmd|' /C calc'!A0";
    const hostile = await createPharmacy(api, admin, {
      code: '5901000009',
      name,
      address,
      phone: '+886-2-2700-1234',
    });
    const minus = await createPharmacy(api, admin, {
      code: '5901000010',
      name: '-2+3',
      phone: "+1+cmd|'/C calc'!A0",
    });
    const lineOf = async (code: string) => {
      for (let i = 0; i < 50; i++) {
        const line = (await raw(CSV, identity)).body
          .toString('utf8')
          .split('\n')
          .find((l) => l.startsWith(`${code},`));
        if (line) return line;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`no CSV row for ${code}`);
    };
    expect(await lineOf(hostile.code)).toBe(
      `5901000009,"'=HYPERLINK(""http://x"",""y"")",'@SUM(1+1)*cmd|' /C calc'!A0,+886-2-2700-1234,0,0,2020/03/15 10:03:04`,
    );
    expect(await lineOf(minus.code)).toBe(
      `5901000010,'-2+3,臺北市大安區信義路四段1號,'+1+cmd|'/C calc'!A0,0,0,2020/03/15 10:03:04`,
    );
    const geo = await api.get<{ features: { properties: Record<string, unknown> }[] }>(JSON_URL);
    const props = geo.body.features.find((f) => f.properties.code === hostile.code)?.properties;
    expect(props).toMatchObject({ name, address, phone: '+886-2-2700-1234' });
    expect(geo.body.features.find((f) => f.properties.code === minus.code)?.properties).toMatchObject({
      name: '-2+3',
      phone: "+1+cmd|'/C calc'!A0",
    });
  });
});
