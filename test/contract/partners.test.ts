// Over 300 lines: API.md "Partners" as one contract section, sharing the per-day clock and partner helpers.
/**
 * API.md "Partners" (pharmacy stock and sales, airport counters), the open data of "Public",
 * and the Idempotency-Key convention of mutating partner calls. HTTP only.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  adminLogin,
  issueCard,
  loginWithCard,
  randomNationalId,
  randomNewArc,
  registerCard,
  setClock,
  type TestCard,
} from '../support/factories.js';
import { setUpTestApp } from '../support/fixture.js';
import { at, cardInReader, DATE, DAYS, expectError, expectMoney, expectTime } from './kit.js';

const CSV_HEADER =
  '醫事機構代碼,醫事機構名稱,醫事機構地址,醫事機構電話,成人口罩剩餘數,兒童口罩剩餘數,來源資料時間';

const t = setUpTestApp();
const api = t.api;
let admin: string;

async function clockTo(iso: string): Promise<void> {
  await setClock(api, iso);
  admin = await adminLogin(api);
}

beforeAll(async () => {
  await clockTo(at(DAYS.sun, '08:00:00'));
});

let pharmacySeq = 0;
async function newPharmacy(
  body: Partial<{ name: string; address: string; phone: string; lat: number; lng: number }> = {},
) {
  pharmacySeq += 1;
  const code = `59${String(Date.now() % 1e6).padStart(6, '0')}${String(pharmacySeq).padStart(2, '0')}`;
  const res = await api.post<{ code: string; apiKey: string }>(
    '/api/v1/admin/pharmacies',
    { code, name: '大安藥局', address: '臺北市大安區復興南路一段1號', phone: '(02)27551234', ...body },
    { token: admin },
  );
  expect(res.status, res.text).toBe(201);
  expect(res.body.code).toBe(code);
  expect(res.body.apiKey).toBeTypeOf('string');
  return res.body;
}

async function stock(p: { code: string; apiKey: string }, adult: number, child: number, key?: string) {
  return api.put(
    `/api/v1/pharmacies/${p.code}/stock`,
    { adult, child },
    {
      token: p.apiKey,
      ...(key ? { headers: { 'idempotency-key': key } } : {}),
    },
  );
}

async function sell(
  p: { code: string; apiKey: string },
  card: TestCard,
  item: 'adult' | 'child',
  key?: string,
) {
  return api.post<{ saleId: number; amount: number; nextEligibleOn: string }>(
    `/api/v1/pharmacies/${p.code}/sales`,
    { cardNo: card.cardNo, ...(await cardInReader(api, card)), item },
    { token: p.apiKey, ...(key ? { headers: { 'idempotency-key': key } } : {}) },
  );
}

interface Feature {
  type: 'Feature';
  geometry: { type: 'Point'; coordinates: [number, number] } | null;
  properties: {
    code: string;
    name: string;
    address: string;
    phone: string;
    adult: number;
    child: number;
    updatedAt: string;
  };
}

async function openDataFeature(code: string): Promise<Feature | undefined> {
  const res = await api.get<{ type: string; features: Feature[] }>('/api/v1/open-data/pharmacy-stock.json');
  expect(res.status).toBe(200);
  return res.body.features.find((f) => f.properties.code === code);
}

/** Open data may lag a moment behind (it is served from a snapshot): poll briefly. */
async function expectOpenStock(code: string, adult: number, child: number): Promise<void> {
  await expect
    .poll(
      async () => {
        const f = await openDataFeature(code);
        return f ? [f.properties.adult, f.properties.child] : null;
      },
      { timeout: 5000, interval: 200 },
    )
    .toEqual([adult, child]);
}

describe('PUT /api/v1/pharmacies/{code}/stock', () => {
  it('pharmacy key; {adult, child} in masks → 200; other keys are refused', async () => {
    const p = await newPharmacy();
    const res = await stock(p, 30, 50);
    expect(res.status, res.text).toBe(200);
    await expectOpenStock(p.code, 30, 50);
    expectError(await api.put(`/api/v1/pharmacies/${p.code}/stock`, { adult: 1, child: 1 }), 401);
    expectError(await stock(p, -1, 5), 400, 'VALIDATION_FAILED');
    expectError(
      await api.put(`/api/v1/pharmacies/${p.code}/stock`, { adult: 1.5, child: 0 }, { token: p.apiKey }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('an Idempotency-Key retry returns the first outcome and does nothing twice', async () => {
    const p = await newPharmacy();
    const first = await stock(p, 90, 100, 'stock-k1');
    expect(first.status).toBe(200);
    const sale = await sell(p, await issueCard(api, admin), 'adult');
    expect(sale.status, sale.text).toBe(201);
    await expectOpenStock(p.code, 87, 100);
    const retry = await stock(p, 90, 100, 'stock-k1');
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    // The retry did not set the stock again: the sale in between still counts.
    await expectOpenStock(p.code, 87, 100);
  });
});

describe('POST /api/v1/pharmacies/{code}/sales', () => {
  it('201 {saleId, amount, nextEligibleOn}; stock goes down in masks (adult 3, child 5)', async () => {
    await clockTo(at(DAYS.sun));
    const p = await newPharmacy();
    await stock(p, 30, 50);
    const adult = await issueCard(api, admin, { birthDate: '1980-01-01' });
    const sale = await sell(p, adult, 'adult');
    expect(sale.status, sale.text).toBe(201);
    expect(Number.isInteger(sale.body.saleId)).toBe(true);
    expectMoney(sale.body.amount, 15);
    expect(sale.body.nextEligibleOn).toMatch(DATE);
    expect(sale.body.nextEligibleOn).toBe('2020-03-22');
    await expectOpenStock(p.code, 27, 50);

    // Aged 16 on the day (16 or under): a child pack.
    const child = await issueCard(api, admin, { birthDate: '2004-03-15' });
    const childSale = await sell(p, child, 'child');
    expect(childSale.status, childSale.text).toBe(201);
    expectMoney(childSale.body.amount, 25);
    await expectOpenStock(p.code, 27, 45);

    // The purchase record of the buyer shows it.
    await registerCard(api, adult);
    const token = await loginWithCard(api, adult);
    const record = await api.get<{
      purchases: { date: string; channel: string; place: string; item: string; quantity: number }[];
      nextEligibleOn: string | null;
    }>('/api/v1/me/purchases', { token });
    expect(record.status).toBe(200);
    expect(record.body.purchases).toHaveLength(1);
    expect(record.body.purchases[0]).toMatchObject({
      date: DAYS.sun,
      channel: 'pharmacy',
      item: 'adult',
      place: '大安藥局',
    });
    expect(Number.isInteger(record.body.purchases[0]?.quantity)).toBe(true);
    expect(record.body.nextEligibleOn).toBe('2020-03-22');
  });

  it('409 NOT_YET_ELIGIBLE (+nextEligibleOn) within 7 days, across pharmacies', async () => {
    await clockTo(at(DAYS.sun));
    const a = await newPharmacy();
    const b = await newPharmacy();
    await stock(a, 30, 50);
    await stock(b, 30, 50);
    const card = await issueCard(api, admin, { nationalId: randomNationalId({ lastDigitParity: 'odd' }) });
    expect((await sell(a, card, 'adult')).status).toBe(201);
    await clockTo(at(DAYS.mon)); // Monday: an odd ID's day
    const again = expectError(await sell(b, card, 'adult'), 409, 'NOT_YET_ELIGIBLE');
    expect(again.nextEligibleOn).toBe('2020-03-22');
    await clockTo(at('2020-03-22')); // Sunday, 7 days later
    expect((await sell(b, card, 'adult')).status).toBe(201);
    await expectOpenStock(b.code, 27, 50);
  });

  it('two pharmacies selling to one card at the same moment: exactly one sale', async () => {
    await clockTo(at(DAYS.sun, '15:00:00'));
    const a = await newPharmacy();
    const b = await newPharmacy();
    await stock(a, 30, 50);
    await stock(b, 30, 50);
    const card = await issueCard(api, admin);
    const [presenceA, presenceB] = [await cardInReader(api, card), await cardInReader(api, card)];
    const results = await Promise.all([
      api.post(
        `/api/v1/pharmacies/${a.code}/sales`,
        { cardNo: card.cardNo, ...presenceA, item: 'adult' },
        { token: a.apiKey },
      ),
      api.post(
        `/api/v1/pharmacies/${b.code}/sales`,
        { cardNo: card.cardNo, ...presenceB, item: 'adult' },
        { token: b.apiKey },
      ),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    expectError(results.find((r) => r.status === 409) as (typeof results)[number], 409, 'NOT_YET_ELIGIBLE');
    const remaining = [
      (await openDataFeature(a.code))?.properties.adult,
      (await openDataFeature(b.code))?.properties.adult,
    ];
    await expect
      .poll(async () =>
        [
          (await openDataFeature(a.code))?.properties.adult,
          (await openDataFeature(b.code))?.properties.adult,
        ].sort(),
      )
      .toEqual([27, 30]);
    expect(remaining.every((n) => n === 27 || n === 30)).toBe(true);
  });

  it('409 WRONG_DAY_FOR_ID (+allowedWeekdays as ISO weekdays); Sunday is open to all', async () => {
    await clockTo(at(DAYS.tue)); // Tuesday: even IDs only
    const p = await newPharmacy();
    await stock(p, 30, 50);
    const odd = await issueCard(api, admin, { nationalId: randomNationalId({ lastDigitParity: 'odd' }) });
    const oddBody = { cardNo: odd.cardNo, ...(await cardInReader(api, odd)), item: 'adult' };
    const refusal = await api.post(`/api/v1/pharmacies/${p.code}/sales`, oddBody, {
      token: p.apiKey,
      headers: { 'idempotency-key': 'refusal-1' },
    });
    const refused = expectError(refusal, 409, 'WRONG_DAY_FOR_ID');
    expect(refused.allowedWeekdays).toEqual(expect.arrayContaining([1, 3, 5]));
    expect(refused.allowedWeekdays).not.toContain(2);
    const even = await issueCard(api, admin, { nationalId: randomNationalId({ lastDigitParity: 'even' }) });
    const evenBody = { cardNo: even.cardNo, ...(await cardInReader(api, even)), item: 'adult' };
    const evenSale = await api.post(`/api/v1/pharmacies/${p.code}/sales`, evenBody, {
      token: p.apiKey,
      headers: { 'idempotency-key': 'even-1' },
    });
    expect(evenSale.status).toBe(201);
    // A retry of a refusal answers the same refusal; a retry of the sale the same sale.
    const sameRefusal = await api.post(`/api/v1/pharmacies/${p.code}/sales`, oddBody, {
      token: p.apiKey,
      headers: { 'idempotency-key': 'refusal-1' },
    });
    expect(sameRefusal.status).toBe(409);
    expect(sameRefusal.body).toEqual(refusal.body);
    const sameSale = await api.post(`/api/v1/pharmacies/${p.code}/sales`, evenBody, {
      token: p.apiKey,
      headers: { 'idempotency-key': 'even-1' },
    });
    expect(sameSale.status).toBe(201);
    expect(sameSale.body).toEqual(evenSale.body);
    await expectOpenStock(p.code, 27, 50);
    await clockTo(at('2020-03-18')); // Wednesday
    const evenOnWednesday = await issueCard(api, admin, {
      nationalId: randomNationalId({ lastDigitParity: 'even' }),
    });
    const refusedEven = expectError(await sell(p, evenOnWednesday, 'adult'), 409, 'WRONG_DAY_FOR_ID');
    expect(refusedEven.allowedWeekdays).toEqual(expect.arrayContaining([2, 4, 6]));
    await clockTo(at('2020-03-22')); // Sunday
    expect((await sell(p, odd, 'adult')).status).toBe(201);
  });

  it('409 OUT_OF_STOCK when fewer masks than a pack remain', async () => {
    await clockTo(at('2020-03-29'));
    const p = await newPharmacy();
    await stock(p, 2, 4);
    expectError(await sell(p, await issueCard(api, admin), 'adult'), 409, 'OUT_OF_STOCK');
    expectError(
      await sell(p, await issueCard(api, admin, { birthDate: '2015-01-01' }), 'child'),
      409,
      'OUT_OF_STOCK',
    );
    await stock(p, 3, 5);
    expect((await sell(p, await issueCard(api, admin), 'adult')).status).toBe(201);
    expectError(await sell(p, await issueCard(api, admin), 'adult'), 409, 'OUT_OF_STOCK');
    await expectOpenStock(p.code, 0, 5);
  });

  it('422 CHILD_ITEM_NOT_ALLOWED over 16 on the day; 422 CARD_NOT_PRESENT; 404 UNKNOWN_CARD', async () => {
    await clockTo(at('2020-03-29'));
    const p = await newPharmacy();
    await stock(p, 30, 50);
    const seventeen = await issueCard(api, admin, { birthDate: '2003-03-28' }); // 17 since yesterday
    expectError(await sell(p, seventeen, 'child'), 422, 'CHILD_ITEM_NOT_ALLOWED');
    const sixteen = await issueCard(api, admin, { birthDate: '2003-03-30' }); // 17 tomorrow
    expect((await sell(p, sixteen, 'child')).status).toBe(201);

    const card = await issueCard(api, admin);
    const other = await issueCard(api, admin);
    const presence = await cardInReader(api, other); // signed by another card
    expectError(
      await api.post(
        `/api/v1/pharmacies/${p.code}/sales`,
        { cardNo: card.cardNo, ...presence, item: 'adult' },
        { token: p.apiKey },
      ),
      422,
      'CARD_NOT_PRESENT',
    );
    const unknownCard = String(999_900_000_000 + Math.floor(Math.random() * 99_999_999));
    expectError(
      await api.post(
        `/api/v1/pharmacies/${p.code}/sales`,
        { cardNo: unknownCard, ...(await cardInReader(api, card)), item: 'adult' },
        { token: p.apiKey },
      ),
      404,
      'UNKNOWN_CARD',
    );
    await expectOpenStock(p.code, 30, 45);
  });

  it('an Idempotency-Key retry returns the first sale and sells once', async () => {
    await clockTo(at('2020-04-05'));
    const p = await newPharmacy();
    await stock(p, 30, 50);
    const card = await issueCard(api, admin);
    const body = { cardNo: card.cardNo, ...(await cardInReader(api, card)), item: 'adult' };
    const headers = { 'idempotency-key': 'sale-0001' };
    const first = await api.post(`/api/v1/pharmacies/${p.code}/sales`, body, { token: p.apiKey, headers });
    expect(first.status, first.text).toBe(201);
    const retry = await api.post(`/api/v1/pharmacies/${p.code}/sales`, body, { token: p.apiKey, headers });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    await expectOpenStock(p.code, 27, 50);
  });
});

describe('POST /api/v1/airport-counters/{id}/sales', () => {
  async function counter() {
    const res = await api.post<{ id: number; apiKey: string }>(
      '/api/v1/admin/airport-counters',
      { name: '桃園機場第一航廈免稅店' },
      { token: admin },
    );
    expect(res.status, res.text).toBe(201);
    expect(Number.isInteger(res.body.id)).toBe(true);
    expect(res.body.apiKey).toBeTypeOf('string');
    return res.body;
  }

  function airportSale(
    c: { id: number; apiKey: string },
    document: { type: string; number: string },
    item: 'adult' | 'child',
    currency: 'TWD' | 'USD',
    key?: string,
  ) {
    return api.post<{ saleId: number; price: number; currency: string }>(
      `/api/v1/airport-counters/${c.id}/sales`,
      { document, item, currency },
      { token: c.apiKey, ...(key ? { headers: { 'idempotency-key': key } } : {}) },
    );
  }

  it('201 {saleId, price: 50 TWD or 2 USD, currency}; no odd/even rule; a second set is 409 NOT_YET_ELIGIBLE', async () => {
    await clockTo(at('2020-04-14')); // Tuesday: an odd ID could not buy at a pharmacy
    const c = await counter();
    const odd = await issueCard(api, admin, { nationalId: randomNationalId({ lastDigitParity: 'odd' }) });
    const sale = await airportSale(c, { type: 'nhi_card', number: odd.cardNo }, 'adult', 'TWD');
    expect(sale.status, sale.text).toBe(201);
    expect(Number.isInteger(sale.body.saleId)).toBe(true);
    expect(sale.body).toMatchObject({ price: 50, currency: 'TWD' });
    expectError(
      await airportSale(c, { type: 'nhi_card', number: odd.cardNo }, 'adult', 'TWD'),
      409,
      'NOT_YET_ELIGIBLE',
    );

    const usd = await airportSale(c, { type: 'passport', number: `P${Date.now() % 1e8}` }, 'child', 'USD');
    expect(usd.status, usd.text).toBe(201);
    expect(usd.body).toMatchObject({ price: 2, currency: 'USD' });

    // It joins the purchase record and the 7-day rule.
    await registerCard(api, odd);
    const token = await loginWithCard(api, odd);
    const record = await api.get<{ purchases: { date: string; channel: string }[]; nextEligibleOn: string }>(
      '/api/v1/me/purchases',
      { token },
    );
    expect(record.body.purchases).toEqual([
      expect.objectContaining({ date: '2020-04-14', channel: 'airport' }),
    ]);
    expect(record.body.nextEligibleOn).toBe('2020-04-21');
    await clockTo(at('2020-04-15')); // Wednesday: odd day, but within 7 days
    const p = await newPharmacy();
    await stock(p, 30, 50);
    expectError(await sell(p, odd, 'adult'), 409, 'NOT_YET_ELIGIBLE');
  });

  it('one set per passport and per resident certificate', async () => {
    await clockTo(at('2020-04-16'));
    const c = await counter();
    const passport = `E${String(Date.now() % 1e8).padStart(8, '0')}`;
    expect((await airportSale(c, { type: 'passport', number: passport }, 'adult', 'USD')).status).toBe(201);
    expectError(
      await airportSale(c, { type: 'passport', number: passport }, 'adult', 'TWD'),
      409,
      'NOT_YET_ELIGIBLE',
    );

    const arc = randomNewArc();
    await issueCard(api, admin, { nationalId: arc, nationality: 'foreign', arcNumber: arc });
    expect((await airportSale(c, { type: 'arc', number: arc }, 'adult', 'TWD')).status).toBe(201);
    expectError(await airportSale(c, { type: 'arc', number: arc }, 'child', 'TWD'), 409, 'NOT_YET_ELIGIBLE');
  });

  it('the counter key only; an Idempotency-Key retry answers the first sale', async () => {
    await clockTo(at('2020-04-17'));
    const c = await counter();
    const other = await counter();
    const doc = { type: 'passport', number: `K${String(Date.now() % 1e8).padStart(8, '0')}` };
    expectError(
      await api.post(`/api/v1/airport-counters/${c.id}/sales`, {
        document: doc,
        item: 'adult',
        currency: 'TWD',
      }),
      401,
    );
    expectError(
      await api.post(
        `/api/v1/airport-counters/${c.id}/sales`,
        { document: doc, item: 'adult', currency: 'TWD' },
        { token: other.apiKey },
      ),
      403,
    );
    const first = await airportSale(c, doc, 'adult', 'TWD', 'arrival-1');
    expect(first.status).toBe(201);
    const retry = await airportSale(c, doc, 'adult', 'TWD', 'arrival-1');
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
  });
});

describe('Open data', () => {
  it("GET pharmacy-stock.csv: NHI's header, byte for byte, then one row per pharmacy", async () => {
    await clockTo(at('2020-04-20'));
    const p = await newPharmacy({
      name: '仁愛藥局',
      address: '臺北市中正區仁愛路一段1號',
      phone: '(02)23456789',
    });
    await stock(p, 120, 85);
    await expectOpenStock(p.code, 120, 85);
    const res = await fetch(`${t.url}/api/v1/open-data/pharmacy-stock.csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type') ?? '').toContain('text/csv');
    const bytes = Buffer.from(await res.arrayBuffer());
    const header = Buffer.from(CSV_HEADER, 'utf8');
    expect(bytes.subarray(0, header.length).equals(header)).toBe(true);
    expect([0x0a, 0x0d]).toContain(bytes[header.length]);
    const lines = bytes.toString('utf8').split(/\r?\n/).filter(Boolean);
    expect(lines[0]).toBe(CSV_HEADER);
    const row = lines.find((l) => l.startsWith(`${p.code},`));
    expect(row).toBeDefined();
    const cells = (row as string).split(',');
    expect(cells.slice(0, 6)).toEqual([
      p.code,
      '仁愛藥局',
      '臺北市中正區仁愛路一段1號',
      '(02)23456789',
      '120',
      '85',
    ]);
    expect(cells[6]).toMatch(/2020/);
  });

  it('GET pharmacy-stock.json: a GeoJSON FeatureCollection, [lng, lat], geometry null where unknown', async () => {
    const placed = await newPharmacy({ name: '定位藥局', lat: 25.0418, lng: 121.5437 });
    const unplaced = await newPharmacy({ name: '無座標藥局' });
    await stock(placed, 9, 10);
    await stock(unplaced, 6, 5);
    await expectOpenStock(placed.code, 9, 10);
    await expectOpenStock(unplaced.code, 6, 5);
    const res = await api.get<{ type: string; features: Feature[] }>('/api/v1/open-data/pharmacy-stock.json');
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('FeatureCollection');
    const a = res.body.features.find((f) => f.properties.code === placed.code) as Feature;
    expect(a.type).toBe('Feature');
    expect(a.geometry).toEqual({ type: 'Point', coordinates: [121.5437, 25.0418] });
    expect(a.properties).toMatchObject({
      code: placed.code,
      name: '定位藥局',
      address: '臺北市大安區復興南路一段1號',
      phone: '(02)27551234',
      adult: 9,
      child: 10,
    });
    expectTime(a.properties.updatedAt);
    const b = res.body.features.find((f) => f.properties.code === unplaced.code) as Feature;
    expect(b.geometry).toBeNull();
    expect(b.properties).toMatchObject({ adult: 6, child: 5 });
  });
});
