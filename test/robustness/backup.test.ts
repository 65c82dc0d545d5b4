import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupDatabase, tablesInDependencyOrder } from '../../scripts/backup.js';
import { restoreDatabase } from '../../scripts/restore.js';
import { createTestDatabase, type RunningApp, startTestApp } from '../support/app.js';
import {
  adminLogin,
  citizenLogin,
  createPharmacy,
  createRound,
  createStore,
  loginWithCard,
  setClock,
  setPharmacyStock,
  type TestCard,
} from '../support/factories.js';
import { setUpTestApp } from '../support/fixture.js';
import { client } from '../support/http.js';

/**
 * Backup and restore (issue 6 point 7; docs/RELIABILITY.md): data in, `npm run backup`'s
 * logical backup, restore into a fresh database, the same rows, and a working login and order
 * there afterwards.
 */
const source = setUpTestApp();
let dir = '';
let card: TestCard;
let roundId = 0;
let storeId = 0;

beforeAll(async () => {
  const api = source.api;
  const admin = await source.admin();
  const round = await createRound(api, admin);
  roundId = round.id;
  storeId = (await createStore(api, admin)).id;
  const pharmacy = await createPharmacy(api, admin);
  await setPharmacyStock(api, pharmacy, { adult: 90, child: 50 });
  const citizen = await citizenLogin(api, admin);
  card = citizen.card;
  const order = await api.put(
    `/api/v1/rounds/${round.id}/order`,
    { storeId, phone: '0912345678', email: 'backup@example.tw' },
    { token: citizen.token },
  );
  expect(order.status).toBe(200);
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'rationing-backup-'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function snapshot(app: RunningApp): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of await tablesInDependencyOrder(app.sql)) {
    if (table === 'schema_migrations') continue;
    const [row] = await app.sql<{ h: string; n: number }[]>`
      select md5(coalesce(string_agg(x::text, '|' order by x::text), '')) as h, count(*)::int as n
      from ${app.sql(table)} x`;
    out[table] = `${row?.n}:${row?.h}`;
  }
  return out;
}

describe('backup and restore', () => {
  it('restores the same rows into a fresh database, where sign-in and ordering work', async () => {
    const before = await snapshot(source);
    const manifest = await backupDatabase(source.databaseUrl, path.join(dir, 'b1'));
    expect(manifest.tables.find((t) => t.name === 'orders')?.rows).toBe(1);
    expect(manifest.tables.findIndex((t) => t.name === 'persons')).toBeLessThan(
      manifest.tables.findIndex((t) => t.name === 'orders'),
    );

    // A new, empty, migrated database (as `npm run restore` finds after a loss).
    const targetUrl = await createTestDatabase();
    await restoreDatabase(targetUrl, path.join(dir, 'b1'));
    const target = await startTestApp({ DATABASE_URL: targetUrl });
    try {
      expect(await snapshot(target)).toEqual(before);
      const api = client(target.url);
      // Still 2020-03-12 on the restored manual clock: the card signs in, the order is there,
      // and a new order (new id from the restored sequence) can be placed.
      const token = await loginWithCard(api, card);
      const mine = await api.get<{ orders: { roundId: number }[] }>('/api/v1/me/orders', { token });
      expect(mine.body.orders.map((o) => o.roundId)).toEqual([roundId]);
      const again = await api.put(
        `/api/v1/rounds/${roundId}/order`,
        { storeId, phone: '0912345679', email: 'restored@example.tw' },
        { token },
      );
      expect(again.status).toBe(200);
      const admin = await adminLogin(api);
      const newRound = await createRound(api, admin, { name: '第2輪' });
      expect(newRound.id).toBeGreaterThan(roundId);
      await setClock(api, '2020-03-13T10:00:00+08:00');
      expect((await api.get('/readyz')).status).toBe(200);
      // A second restore into a database that now has data is refused without --force.
      await expect(restoreDatabase(targetUrl, path.join(dir, 'b1'))).rejects.toThrow(/--force/);
    } finally {
      await target.close();
    }
  });

  it('refuses to write into a folder that is not empty', async () => {
    await fs.mkdir(path.join(dir, 'b2'));
    await fs.writeFile(path.join(dir, 'b2', 'x'), 'x');
    await expect(backupDatabase(source.databaseUrl, path.join(dir, 'b2'))).rejects.toThrow(/not empty/);
  });
});
