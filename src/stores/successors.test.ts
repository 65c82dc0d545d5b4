import { beforeAll, describe, expect, it } from 'vitest';
import { setUpTestApp } from '../../test/support/fixture.js';

const t = setUpTestApp();
const api = t.api;
let admin: string;
beforeAll(async () => {
  admin = await t.admin();
});

let seq = 0;
async function store(city: string, district: string, lat?: number, lng?: number): Promise<number> {
  seq += 1;
  const res = await api.post<{ id: number }>(
    '/api/v1/admin/stores',
    {
      chain: 'Hi-Life',
      storeNo: `77${String(seq).padStart(4, '0')}`,
      name: `測試${seq}店`,
      address: `${city}${district}測試路${seq}號`,
      city,
      district,
      ...(lat === undefined ? {} : { lat, lng }),
    },
    { token: admin },
  );
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}

describe('GET /api/v1/admin/stores/{id}/successors', () => {
  it('offers open stores nearest first: same district, then same city, then elsewhere; never closed ones or itself', async () => {
    const closing = await store('臺中市', '西屯區', 24.17, 120.64);
    const elsewhere = await store('高雄市', '苓雅區', 22.62, 120.31);
    const sameCity = await store('臺中市', '北屯區', 24.18, 120.69);
    const sameDistrictFar = await store('臺中市', '西屯區', 24.2, 120.6);
    const sameDistrictNear = await store('臺中市', '西屯區', 24.171, 120.641);
    const closed = await store('臺中市', '西屯區', 24.17, 120.64);
    const close = await api.post(
      `/api/v1/admin/stores/${closed}/close`,
      { reassignTo: sameCity },
      { token: admin },
    );
    expect(close.status, close.text).toBe(200);

    const res = await api.get<{ stores: { id: number; open: boolean }[] }>(
      `/api/v1/admin/stores/${closing}/successors?limit=200`,
      { token: admin },
    );
    expect(res.status, res.text).toBe(200);
    const ids = res.body.stores.map((s) => s.id);
    expect(ids.slice(0, 3)).toEqual([sameDistrictNear, sameDistrictFar, sameCity]);
    expect(ids).toContain(elsewhere);
    expect(ids).not.toContain(closing);
    expect(ids).not.toContain(closed);
    expect(res.body.stores.every((s) => s.open)).toBe(true);
  });

  it('answers 404 UNKNOWN_STORE for an unknown store and 401 without an operator', async () => {
    const unknown = await api.get('/api/v1/admin/stores/999999/successors', { token: admin });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: 'UNKNOWN_STORE' } });
    expect((await api.get('/api/v1/admin/stores/1/successors')).status).toBe(401);
  });
});
