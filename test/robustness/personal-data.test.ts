import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recipientIndex, recipientKind } from '../../src/notifications/reference.js';
import { resealPersonalData } from '../../src/platform/seal-personal-data.js';
import { Vault, vaultFor } from '../../src/platform/vault.js';
import { startTestApp, type TestApp } from '../support/app.js';
import {
  adminLogin,
  createRound,
  createStore,
  issueCard,
  issueCitizenCertificate,
  loginWithCard,
  loginWithCertificate,
  phoneAuth,
  randomNationalId,
  randomNewArc,
  randomPhone,
  registerCard,
  setClock,
} from '../support/factories.js';
import { type Client, client } from '../support/http.js';

/**
 * Issue 6 point 4: national IDs, names, phones and e-mails are encrypted at rest
 * (src/platform/vault.ts). A whole journey is run through the API, then every row of every
 * table of the platform is searched for the plaintext values.
 */

/** Tables that model the partners' own books (the telecom's subscriber list, the inboxes), not ours. */
const SIMULATED_PARTNER_TABLES = new Set(['telecom_subscribers', 'sim_messages']);

// Not setUpTestApp: the key-rotation test stops this app and restarts it on new keys.
let t: TestApp;
let api: Client;
let admin: string;

beforeAll(async () => {
  t = await startTestApp();
  api = client(t.url);
  admin = await adminLogin(api);
  await setClock(api, '2020-03-12T10:00:00+08:00');
});
afterAll(() => t.close());

/** Every row of every platform table, as JSON text, per table. */
async function everyRow(app: TestApp): Promise<Map<string, string>> {
  const tables = await app.sql<{ name: string }[]>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`;
  const dump = new Map<string, string>();
  for (const { name } of tables) {
    if (SIMULATED_PARTNER_TABLES.has(name)) continue;
    const rows = await app.sql.unsafe(`select row_to_json(x)::text as j from "${name}" x`);
    dump.set(name, rows.map((r) => r.j as string).join('\n'));
  }
  return dump;
}

function tablesContaining(dump: Map<string, string>, needle: string): string[] {
  return [...dump].filter(([, text]) => text.includes(needle)).map(([name]) => name);
}

describe('personal data at rest', () => {
  it('stores no national ID, ARC, name, phone or e-mail in plaintext after a whole journey, and finds people by ID', async () => {
    const round = await createRound(api, admin, { name: 'sealed-round' });
    const store = await createStore(api, admin);
    const nationalId = randomNationalId();
    const name = '林保密測試';
    const card = await issueCard(api, admin, { nationalId, name });
    await registerCard(api, card);
    const web = await loginWithCard(api, card);
    const arc = randomNewArc();
    const resident = await issueCard(api, admin, {
      nationalId: arc,
      nationality: 'foreign',
      name: 'Secret Resident',
    });

    // the phone check binds a phone; an order carries a phone and an e-mail
    const app = await phoneAuth(api, card);
    const orderPhone = randomPhone();
    const email = `sealed.${Date.parse('2020-03-12')}@example.tw`;
    const placed = await api.put<{ order: { id: number } }>(
      `/api/v1/rounds/${round.id}/order`,
      { storeId: store.id, phone: orderPhone, email },
      { token: web },
    );
    expect(placed.status).toBe(200);

    // look-ups by ID still work: the public order query, certificate sign-in, the counter
    const lookup = await api.post<{ orders: unknown[] }>('/api/v1/orders/lookup', {
      nationalId,
      phoneLast3: orderPhone.slice(-3),
    });
    expect(lookup.status).toBe(200);
    expect(lookup.body.orders).toHaveLength(1);
    const wrong = await api.post<{ orders: unknown[] }>('/api/v1/orders/lookup', {
      nationalId,
      phoneLast3: orderPhone.slice(-3) === '000' ? '001' : '000',
    });
    expect(wrong.body.orders).toHaveLength(0);
    const certificate = await issueCitizenCertificate(api, nationalId);
    const certSession = await loginWithCertificate(api, certificate, nationalId);
    const session = await api.get<{ person: { name: string; nationalIdMasked: string } }>(
      '/api/v1/auth/session',
      {
        token: certSession,
      },
    );
    expect(session.body.person).toEqual({
      name,
      nationalIdMasked: `${nationalId.slice(0, 2)}****${nationalId.slice(-4)}`,
    });
    const residentCert = await issueCitizenCertificate(api, arc);
    expect(await loginWithCertificate(api, residentCert, arc)).toBeTruthy();

    // the draw e-mails the order's address and the payment texts its phone: both go through the
    // outbox sealed and reach the (simulated) recipients opened
    await setClock(api, '2020-03-18T20:00:00+08:00');
    admin = await adminLogin(api);
    const drawn = await api.post(
      `/api/v1/admin/rounds/${round.id}/draw`,
      { seed: 'c0ffee' },
      { token: admin },
    );
    expect(drawn.status).toBe(200);
    await setClock(api, '2020-03-19T09:00:00+08:00');
    const mails = await api.get<{ messages: unknown[] }>(
      `/api/v1/sim/outbox?to=${encodeURIComponent(email)}`,
    );
    expect(mails.body.messages).toHaveLength(1);
    const selected = await api.post<{ orders: { virtualAccount: string }[] }>('/api/v1/orders/lookup', {
      nationalId,
      phoneLast3: orderPhone.slice(-3),
    });
    const paid = await api.post<{ matched: boolean }>('/api/v1/sim/bank/transfers', {
      toAccount: selected.body.orders[0]?.virtualAccount,
      amount: 22,
    });
    expect(paid.body.matched).toBe(true);
    const sms = await api.get<{ messages: unknown[] }>(`/api/v1/sim/outbox?to=${orderPhone}`);
    expect(sms.body.messages).toHaveLength(1);
    const [queued] = await t.sql<{ n: number }[]>`select count(*)::int as n from outbox`;
    expect(queued?.n).toBe(2);

    const dump = await everyRow(t);
    for (const secret of [nationalId, arc, name, 'Secret Resident', app.phone, orderPhone, email]) {
      expect({ secret, tables: tablesContaining(dump, secret) }).toEqual({ secret, tables: [] });
    }
    // what is there instead: sealed values, the blind index and the masked ID
    const [person] = await t.sql<{ national_id: string; name: string; masked: string; indexed: boolean }[]>`
      select national_id, name, national_id_masked as masked, national_id_index is not null as indexed
      from persons where id = ${card.personId}`;
    expect(Vault.isSealed(person?.national_id ?? '')).toBe(true);
    expect(t.deps.vault.open('national_id', person?.national_id ?? '')).toBe(nationalId);
    expect(t.deps.vault.open('name', person?.name ?? '')).toBe(name);
    expect(person).toMatchObject({ masked: session.body.person.nationalIdMasked, indexed: true });
    expect(resident.personId).not.toBe(card.personId);
  });

  it('seals, on the first start after the upgrade, what an older version stored in plaintext', async () => {
    const nationalId = randomNationalId();
    const phone = randomPhone();
    const round = await createRound(api, admin, { name: 'legacy-round' });
    const store = await createStore(api, admin);
    // rows as a version before migration 0080 wrote them
    const [person] = await t.sql<{ id: number }[]>`
      insert into persons (national_id, name, birth_date, nationality, created_at)
      values (${nationalId}, '舊資料', '1980-01-01', 'TW', now()) returning id`;
    await t.sql`
      insert into orders (round_id, person_id, store_id, phone, email, channel, amount, submitted_at, updated_at)
      values (${round.id}, ${person?.id ?? 0}, ${store.id}, ${phone}, 'legacy@example.tw', 'web_card', 22, now(), now())`;
    await t.sql`
      insert into purchases (passport_no, channel, place_ref, place_name, item, packs, masks, amount, currency, purchased_at, purchased_on)
      values ('X12345678', 'airport', 'counter:1', 'T1', 'adult', 1, 3, 50, 'TWD', now(), '2020-03-12')`;
    await t.sql`update personal_data_state set plaintext_sealed = false`;

    const again = await startTestApp({ DATABASE_URL: t.databaseUrl });
    try {
      const dump = await everyRow(again);
      for (const secret of [nationalId, phone, '舊資料', 'legacy@example.tw', 'X12345678']) {
        expect({ secret, tables: tablesContaining(dump, secret) }).toEqual({ secret, tables: [] });
      }
      const found = await client(again.url).post<{ orders: unknown[] }>('/api/v1/orders/lookup', {
        nationalId,
        phoneLast3: phone.slice(-3),
      });
      expect(found.body.orders).toHaveLength(1);
      const [state] = await again.sql`select plaintext_sealed from personal_data_state`;
      expect(state?.plaintext_sealed).toBe(true);
    } finally {
      await again.close();
    }
  });

  it('rotates keys: re-seals everything under the new data key and re-indexes under a new blind-index key', async () => {
    const nationalId = randomNationalId();
    const card = await issueCard(api, admin, { nationalId, name: '輪替測試' });
    expect(card.personId).toBeGreaterThan(0);
    const newKeys = {
      DATA_ENCRYPTION_KEYS: `k2026:${Buffer.alloc(32, 0x26).toString('base64')},${t.deps.config.dataEncryptionKeys}`,
      BLIND_INDEX_KEY: Buffer.alloc(32, 0x42).toString('base64'),
    };
    await t.close();
    const rotatedVault = vaultFor({
      dataEncryptionKeys: newKeys.DATA_ENCRYPTION_KEYS,
      blindIndexKey: newKeys.BLIND_INDEX_KEY,
    });
    const rotated = await startTestApp({ DATABASE_URL: t.databaseUrl, ...newKeys });
    try {
      const report = await resealPersonalData(rotated.sql, rotatedVault, { reindex: true });
      expect(report.resealed).toBeGreaterThan(0);
      const sealed = await rotated.sql<{ v: string }[]>`
        select national_id as v from persons union all select name from persons
        union all select phone from orders union all select email from orders
        union all select phone from devices where phone is not null`;
      expect(sealed.length).toBeGreaterThan(0);
      expect(sealed.filter((r) => Vault.keyIdOf(r.v) !== 'k2026')).toEqual([]);
      // sent messages still verify: their recipient's blind index is recomputed under the new key
      const outbox = await rotated.sql<{ channel: 'email' | 'sms'; recipient: string; index: Buffer }[]>`
        select channel, recipient, recipient_index as index from outbox`;
      expect(outbox.length).toBeGreaterThan(0);
      for (const m of outbox) {
        const to = rotatedVault.open(recipientKind(m.channel), m.recipient);
        expect(m.index.equals(recipientIndex(rotatedVault, m.channel, to))).toBe(true);
      }
      // the old demo key can be dropped now: the new key alone opens everything
      const newOnly = vaultFor({
        dataEncryptionKeys: newKeys.DATA_ENCRYPTION_KEYS.split(',')[0] as string,
        blindIndexKey: newKeys.BLIND_INDEX_KEY,
      });
      expect(
        newOnly.open(
          'national_id',
          (
            await rotated.sql<{ v: string }[]>`
        select national_id as v from persons where id = ${card.personId}`
          )[0]?.v ?? '',
        ),
      ).toBe(nationalId);
      // and look-ups by ID go through the new blind index
      const certificate = await issueCitizenCertificate(client(rotated.url), nationalId);
      expect(await loginWithCertificate(client(rotated.url), certificate, nationalId)).toBeTruthy();
      // running it again changes nothing
      const second = await resealPersonalData(rotated.sql, rotatedVault);
      expect(second.resealed + second.sealedPlaintext).toBe(0);
    } finally {
      await rotated.close();
      t = await startTestApp({ DATABASE_URL: t.databaseUrl, ...newKeys });
    }
  });
});
