import { beforeAll, describe, expect, it } from 'vitest';
import { setUpTestApp } from '../../test/support/fixture.js';

const t = setUpTestApp();
const api = t.api;
let admin: string;
beforeAll(async () => {
  admin = await t.admin();
});

let seq = 0;
async function newPharmacy(name = '大安藥局'): Promise<{ code: string; apiKey: string }> {
  seq += 1;
  const code = `3${String(seq).padStart(9, '0')}`;
  const res = await api.post<{ code: string; apiKey: string }>(
    '/api/v1/admin/pharmacies',
    { code, name, address: '臺北市大安區復興南路一段1號', phone: '(02)27551234' },
    { token: admin },
  );
  expect(res.status, res.text).toBe(201);
  return res.body;
}

/** Whether the partner API accepts this key for this pharmacy (a stock update it is allowed to make). */
async function keyWorks(code: string, key: string): Promise<boolean> {
  const res = await api.put(`/api/v1/pharmacies/${code}/stock`, { adult: 10, child: 5 }, { token: key });
  if (res.status !== 200) expect(res.status, res.text).toBe(401);
  return res.status === 200;
}

interface PartnersPage {
  partners: {
    kind: string;
    id: string;
    name: string;
    open: boolean;
    keys: { active: number; revoked: number };
  }[];
  total: number;
}

describe('operators manage partners and their keys', () => {
  it('lists pharmacies, stores and counters with their keys’ state, searchable by name or code and paged', async () => {
    const a = await newPharmacy('仁愛藥局甲');
    await newPharmacy('仁愛藥局乙');
    await newPharmacy('仁愛藥局丙');
    const store = await api.post<{ id: number }>(
      '/api/v1/admin/stores',
      {
        chain: 'OK',
        storeNo: '880001',
        name: '仁愛門市',
        address: '臺北市大安區仁愛路1號',
        city: '臺北市',
        district: '大安區',
      },
      { token: admin },
    );
    expect(store.status, store.text).toBe(201);

    const all = await api.get<PartnersPage>('/api/v1/admin/partners?q=%E4%BB%81%E6%84%9B', { token: admin });
    expect(all.status, all.text).toBe(200);
    expect(all.body.total).toBe(4);
    expect(all.body.partners.map((p) => p.kind).sort()).toEqual([
      'pharmacy',
      'pharmacy',
      'pharmacy',
      'store',
    ]);
    for (const p of all.body.partners) expect(p.keys).toMatchObject({ active: 1, revoked: 0 });
    expect(JSON.stringify(all.body)).not.toContain('pk_'); // never the keys themselves

    const page2 = await api.get<PartnersPage>(
      '/api/v1/admin/partners?kind=pharmacy&q=%E4%BB%81%E6%84%9B&pageSize=2&page=2',
      {
        token: admin,
      },
    );
    expect(page2.body.total).toBe(3);
    expect(page2.body.partners).toHaveLength(1);

    const byCode = await api.get<PartnersPage>(`/api/v1/admin/partners?q=${a.code}`, { token: admin });
    expect(byCode.body.partners.map((p) => p.id)).toEqual([a.code]);
  });

  it('rotation: the old key stops working, the new one works, shown once, and it is audited', async () => {
    const p = await newPharmacy();
    expect(await keyWorks(p.code, p.apiKey)).toBe(true);
    const res = await api.post<{ apiKey: string; revokedKeys: number }>(
      `/api/v1/admin/partners/pharmacy/${p.code}/key`,
      {},
      {
        token: admin,
      },
    );
    expect(res.status, res.text).toBe(201);
    expect(res.headers.get('cache-control')).toContain('no-store');
    expect(res.body.revokedKeys).toBe(1);
    expect(await keyWorks(p.code, p.apiKey)).toBe(false);
    expect(await keyWorks(p.code, res.body.apiKey)).toBe(true);
    const audit = await t.sql<{ action: string; actor_id: string }[]>`
      select action, actor_id from audit_log where subject = ${`pharmacy:${p.code}`} order by at, id`;
    expect(audit.map((r) => r.action)).toContain('partner.key.rotate');
  });

  it('revocation stops every key from the next request on; rotating gives the partner a key again', async () => {
    const p = await newPharmacy();
    const revoked = await api.call<{ revokedKeys: number }>(
      'DELETE',
      `/api/v1/admin/partners/pharmacy/${p.code}/key`,
      {
        token: admin,
      },
    );
    expect(revoked.status, revoked.text).toBe(200);
    expect(revoked.body.revokedKeys).toBe(1);
    expect(await keyWorks(p.code, p.apiKey)).toBe(false);
    const again = await api.call<{ revokedKeys: number }>(
      'DELETE',
      `/api/v1/admin/partners/pharmacy/${p.code}/key`,
      {
        token: admin,
      },
    );
    expect(again.body.revokedKeys).toBe(0);
    const listed = await api.get<PartnersPage>(`/api/v1/admin/partners?q=${p.code}`, { token: admin });
    expect(listed.body.partners[0]?.keys).toMatchObject({ active: 0, revoked: 1 });
    const rotated = await api.post<{ apiKey: string }>(
      `/api/v1/admin/partners/pharmacy/${p.code}/key`,
      {},
      { token: admin },
    );
    expect(await keyWorks(p.code, rotated.body.apiKey)).toBe(true);
  });

  it('of 200 rotations at once, exactly one key works afterwards: the last one issued', async () => {
    const p = await newPharmacy();
    const answers = await Promise.all(
      Array.from({ length: 200 }, () =>
        api.post<{ apiKey: string }>(`/api/v1/admin/partners/pharmacy/${p.code}/key`, {}, { token: admin }),
      ),
    );
    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 201));
    const [{ active } = { active: -1 }] = await t.sql<{ active: number }[]>`
      select count(*)::int as active from partner_keys
       where kind = 'pharmacy' and partner_ref = ${p.code} and revoked_at is null`;
    expect(active).toBe(1);
    const working = [];
    for (const a of answers) if (await keyWorks(p.code, a.body.apiKey)) working.push(a.body.apiKey);
    expect(working).toHaveLength(1);
  });

  it('refuses unknown partners, bad kinds and citizens clearly', async () => {
    const unknown = await api.post('/api/v1/admin/partners/store/999999/key', {}, { token: admin });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: 'UNKNOWN_STORE' } });
    const counter = await api.call('DELETE', '/api/v1/admin/partners/airport/999999/key', { token: admin });
    expect(counter.body).toMatchObject({ error: { code: 'UNKNOWN_COUNTER' } });
    const kind = await api.post('/api/v1/admin/partners/bank/1/key', {}, { token: admin });
    expect(kind.status).toBe(400);
    expect(kind.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    const anonymous = await api.get('/api/v1/admin/partners');
    expect(anonymous.status).toBe(401);
  });
});
