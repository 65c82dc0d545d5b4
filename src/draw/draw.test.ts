// Over 300 lines: the draw endpoint, the SQL/TypeScript agreement and the e-mail expansion share the round builders.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type RunningApp, startTestApp } from '../../test/support/app.js';
import {
  adminLogin,
  citizenToken,
  createRound,
  createStore,
  issueCard,
  setClock,
} from '../../test/support/factories.js';
import { setUpTestApp } from '../../test/support/fixture.js';
import { type Client, client } from '../../test/support/http.js';
import { createSql } from '../platform/db.js';
import { Vault } from '../platform/vault.js';
import { virtualAccount } from '../rules/virtual-account.js';
import { expandSelectedEmails, queueSelectedEmails, selectWinners as selectWinnersSql } from './draw.repo.js';
import { OFFICIAL_EMAIL_SENDER, OFFICIAL_SITE } from './draw-notice.js';
import { DRAW_ALGORITHM, drawKey, normalizeSeed, selectWinners, verifyDrawExport } from './lottery.js';

const IN_REGISTRATION = '2020-03-12T10:00:00+08:00';
/** A message reference (src/notifications/reference.ts). */
const REFERENCE =
  /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}$/;
const AFTER_CLOSE = '2020-03-18T20:00:00+08:00';

interface World {
  t: RunningApp;
  api: Client;
  admin: string;
  storeId: number;
}

interface Placed {
  orderId: number;
  personId: number;
  email: string;
}

/** Move the platform clock; operator tokens expire a day after last use, so sign in again. */
async function at(w: World, iso: string): Promise<void> {
  await setClock(w.api, iso);
  w.admin = await adminLogin(w.api);
}

async function world(t: RunningApp): Promise<World> {
  const api = client(t.url);
  await setClock(api, IN_REGISTRATION);
  const admin = await adminLogin(api);
  const storeId = (await createStore(api, admin)).id;
  return { t, api, admin, storeId };
}

/** A round in registration with `n` orders placed one after another (ids in creation order). */
async function roundWithOrders(
  w: World,
  n: number,
  supplyPacks: number,
): Promise<{ roundId: number; placed: Placed[] }> {
  await at(w, IN_REGISTRATION);
  const roundId = (await createRound(w.api, w.admin, { name: `draw-${n}-${supplyPacks}`, supplyPacks })).id;
  const placed: Placed[] = [];
  for (let i = 0; i < n; i++) {
    const card = await issueCard(w.api, w.admin);
    const token = await citizenToken(w.t.sql, card.personId, 'web_card', w.t.deps.clock.now());
    const email = `person${card.personId}@example.com`;
    const res = await w.api.put<{ order: { id: number } }>(
      `/api/v1/rounds/${roundId}/order`,
      { storeId: w.storeId, phone: '0912345678', email },
      { token },
    );
    if (res.status !== 200) throw new Error(`order: ${res.status} ${res.text}`);
    placed.push({ orderId: res.body.order.id, personId: card.personId, email });
  }
  return { roundId, placed };
}

async function draw(w: World, roundId: number, seed: string) {
  return w.api.post<{ roundId: number; orders: number; selected: number; seed: string; algorithm: string }>(
    `/api/v1/admin/rounds/${roundId}/draw`,
    { seed },
    { token: w.admin },
  );
}

/** The winners as the draw recorded them, and as every reader derives them (migration 0050). */
async function selectedIds(t: RunningApp, roundId: number): Promise<number[]> {
  const winners = await t.sql<{ id: number }[]>`
    select order_id as id from draw_winners where round_id = ${roundId} order by order_id`;
  const derived = await t.sql<{ id: number }[]>`
    select id from orders
    where round_id = ${roundId} and emask_order_state(state, round_id, id) = 'awaiting_payment' order by id`;
  expect(derived.map((r) => r.id)).toEqual(winners.map((r) => r.id));
  return winners.map((r) => r.id);
}

/** The outbox recipient is the order's e-mail copied as stored: sealed at rest (issue 6). */
/**
 * The draw queues its e-mails as one template row (migration 0051); the app's delivery worker
 * expands it into outbox rows right after the commit. Waits for that.
 */
async function emailsExpanded(w: World, roundId: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const [job] = await w.t.sql<{ expanded: boolean }[]>`
      select expanded from draw_email_batches where round_id = ${roundId}`;
    if (job?.expanded) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`selection e-mails of round ${roundId} not expanded in time`);
}

function emailOf(w: World, recipient: string): string {
  return Vault.isSealed(recipient) ? w.t.deps.vault.open('email', recipient) : recipient;
}

const app = setUpTestApp();
let w: World;
beforeAll(async () => {
  w = await world(app);
});

describe('POST /admin/rounds/{id}/draw', () => {
  it('refuses before registration closes (409 REGISTRATION_NOT_CLOSED) and changes nothing', async () => {
    const { roundId } = await roundWithOrders(w, 2, 1);
    await at(w, '2020-03-18T19:59:59+08:00');
    const res = await draw(w, roundId, 'abcd');
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: { code: 'REGISTRATION_NOT_CLOSED' } });
    expect(await w.t.sql`select 1 from draws where round_id = ${roundId}`).toHaveLength(0);
    expect(await selectedIds(w.t, roundId)).toEqual([]);
    const published = await w.api.get(`/api/v1/rounds/${roundId}/draw`);
    expect(published.status).toBe(404);
    expect(published.body).toMatchObject({ error: { code: 'UNKNOWN_DRAW' } });
    expect((await w.api.get(`/api/v1/rounds/${roundId}/draw/export.csv`)).status).toBe(404);
  });

  it('answers 404 for an unknown round, 400 for a seed that is not hex, and needs an operator', async () => {
    await at(w, AFTER_CLOSE);
    const unknown = await draw(w, 999999, 'abcd');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: { code: 'UNKNOWN_ROUND' } });
    const { roundId } = await roundWithOrders(w, 0, 1);
    await at(w, AFTER_CLOSE);
    const notHex = await draw(w, roundId, 'not-hex!');
    expect(notHex.status).toBe(400);
    expect(notHex.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    const anonymous = await w.api.post(`/api/v1/admin/rounds/${roundId}/draw`, { seed: 'ab' });
    expect(anonymous.status).toBe(401);
    const card = await issueCard(w.api, w.admin);
    const asCitizen = await w.api.post(
      `/api/v1/admin/rounds/${roundId}/draw`,
      { seed: 'ab' },
      { token: await citizenToken(w.t.sql, card.personId, 'web_card', w.t.deps.clock.now()) },
    );
    expect(asCitizen.status).toBe(403);
    expect(await w.t.sql`select 1 from draws where round_id = ${roundId}`).toHaveLength(0);
  });

  it('selects everyone when orders ≤ supply, gives each a personal account and queues one e-mail each', async () => {
    const { roundId, placed } = await roundWithOrders(w, 5, 10);
    await at(w, AFTER_CLOSE);
    const res = await draw(w, roundId, '0123456789abcdef');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      roundId,
      orders: 5,
      selected: 5,
      seed: '0123456789abcdef',
      algorithm: DRAW_ALGORITHM,
    });
    const rows = await w.t.sql<{ id: number; state: string; virtual_account: string }[]>`
      select id, emask_order_state(state, round_id, id) as state,
             emask_order_account(virtual_account, state, round_id, id) as virtual_account
      from orders where round_id = ${roundId} order by id`;
    expect(rows).toEqual(
      placed.map((p) => ({
        id: p.orderId,
        state: 'awaiting_payment',
        virtual_account: virtualAccount(roundId, p.orderId),
      })),
    );
    // No order row is rewritten by the draw: the winners are recorded in draw_winners.
    const stored = await w.t.sql`
      select 1 from orders where round_id = ${roundId} and (state <> 'registered' or virtual_account is not null)`;
    expect(stored).toHaveLength(0);
    expect(await selectedIds(w.t, roundId)).toEqual(placed.map((p) => p.orderId));
    await emailsExpanded(w, roundId);
    const mails = await w.t.sql<{ recipient: string; dedupe_key: string }[]>`
      select recipient, dedupe_key from outbox where dedupe_key like 'draw-email:%'
        and dedupe_key = any(${placed.map((p) => `draw-email:${p.orderId}`)}) order by id`;
    expect(mails.map((m) => emailOf(w, m.recipient)).sort()).toEqual(placed.map((p) => p.email).sort());
  });

  it('draws exactly supplyPacks winners by the published lottery when oversubscribed, e-mailing only them', async () => {
    const { roundId, placed } = await roundWithOrders(w, 30, 10);
    await at(w, AFTER_CLOSE);
    const seed = 'c0ffee00d15ea5e5';
    const res = await draw(w, roundId, seed);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ roundId, orders: 30, selected: 10, seed });
    const winners = await selectedIds(w.t, roundId);
    const expected = [
      ...selectWinners(
        placed.map((p) => p.orderId),
        seed,
        10,
      ),
    ].sort((a, b) => a - b);
    expect(winners).toEqual(expected);
    const losers = await w.t.sql<{ state: string; virtual_account: string | null }[]>`
      select emask_order_state(state, round_id, id) as state,
             emask_order_account(virtual_account, state, round_id, id) as virtual_account
      from orders where round_id = ${roundId} and not (id = any(${winners}))`;
    expect(losers).toHaveLength(20);
    expect(losers.every((l) => l.state === 'registered' && l.virtual_account === null)).toBe(true);

    await emailsExpanded(w, roundId);
    const mails = await w.t.sql<
      {
        channel: string;
        recipient: string;
        sender: string;
        subject: string;
        body: string;
        reference: string;
        summary: string;
        dedupe_key: string;
      }[]
    >`select channel, recipient, sender, subject, body, reference, summary, dedupe_key from outbox
      where dedupe_key = any(${placed.map((p) => `draw-email:${p.orderId}`)}) order by id`;
    expect(mails.map((m) => m.dedupe_key).sort()).toEqual(winners.map((id) => `draw-email:${id}`).sort());
    const byOrder = new Map(placed.map((p) => [p.orderId, p]));
    for (const mail of mails) {
      const orderId = Number(mail.dedupe_key.split(':')[1]);
      const account = virtualAccount(roundId, orderId);
      expect(mail.channel).toBe('email');
      expect(mail.sender).toBe(OFFICIAL_EMAIL_SENDER);
      expect(emailOf(w, mail.recipient)).toBe(byOrder.get(orderId)?.email);
      expect(mail.subject).toContain(String(orderId));
      expect(mail.body).toContain(`訂單編號 ${orderId}`);
      expect(mail.body).toContain('ATM 轉帳請轉入臺灣銀行（銀行代碼 004）的個人專屬帳號。');
      expect(mail.body).toContain(`order no. ${orderId}`);
      expect(mail.body).toContain(OFFICIAL_SITE);
      expect(mail.body).toContain('NT$22');
      // Never the account number nor any link other than the official site [ORD 22.1].
      expect(mail.body).not.toContain(account);
      expect(mail.body).not.toContain(account.slice(0, 12));
      const links = mail.body.match(/https?:\/\/\S+/g) ?? [];
      expect(links.every((l) => l.startsWith(OFFICIAL_SITE))).toBe(true);
      expect(mail.body).not.toMatch(/\{orderId\}|\{amount\}|\{reference\}/);
      // Its own reference, where to check it, and what the platform never does (API.md v1.1).
      expect(mail.reference).toMatch(REFERENCE);
      expect(mail.body).toContain(`查證碼：${mail.reference}`);
      expect(mail.body).toContain(`Reference: ${mail.reference}.`);
      expect(mail.body).toContain(`${OFFICIAL_SITE}/verify `);
      expect(mail.body).toContain('本平台不會來電、不會以簡訊要求匯款，也不會傳送付款連結。');
      expect(mail.body).toContain('165 反詐騙諮詢專線');
      expect(mail.summary).toContain(`訂單 ${orderId}`);
      expect(mail.summary).not.toContain(emailOf(w, mail.recipient));
    }
    expect(new Set(mails.map((m) => m.reference)).size).toBe(mails.length);
    const sms = await w.t.sql`select 1 from outbox where channel = 'sms' and dedupe_key like 'draw%'`;
    expect(sms).toHaveLength(0);

    // A repeat returns the first result unchanged, even with another seed, and queues nothing more.
    const again = await draw(w, roundId, 'ffff');
    expect(again.status).toBe(200);
    expect(again.body).toEqual(res.body);
    expect(await selectedIds(w.t, roundId)).toEqual(winners);
    const mailsAfter = await w.t
      .sql`select 1 from outbox where dedupe_key = any(${placed.map((p) => `draw-email:${p.orderId}`)})`;
    expect(mailsAfter).toHaveLength(10);

    // Published, with an export anyone can re-run.
    const published = await w.api.get<Record<string, unknown>>(`/api/v1/rounds/${roundId}/draw`);
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({
      roundId,
      seed,
      algorithm: DRAW_ALGORITHM,
      orders: 30,
      selected: 10,
      supplyPacks: 10,
      drawnAt: '2020-03-18T20:00:00+08:00',
      verification: expect.stringContaining('scripts/verify-draw.ts'),
    });
    const csv = await w.api.get(`/api/v1/rounds/${roundId}/draw/export.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toBe('order_id,selected');
    expect(lines).toHaveLength(31);
    expect(lines.slice(1).every((l) => /^\d+,(true|false)$/.test(l))).toBe(true);
    expect(verifyDrawExport(csv.text, seed, 10)).toMatchObject({ matches: true, orders: 30, selected: 10 });
    expect(verifyDrawExport(csv.text, 'ffff', 10).matches).toBe(false);
    const audit = await w.t
      .sql`select 1 from audit_log where action = 'round.draw' and subject = ${`round:${roundId}`}`;
    expect(audit).toHaveLength(1);
  });

  it('runs once when operators call it at the same moment', async () => {
    const { roundId, placed } = await roundWithOrders(w, 12, 5);
    await at(w, AFTER_CLOSE);
    const replies = await Promise.all(
      ['01', '02', '03', '04', '05', '06'].map((seed) => draw(w, roundId, seed)),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(6).fill(200));
    const first = replies[0]?.body;
    expect(replies.every((r) => JSON.stringify(r.body) === JSON.stringify(first))).toBe(true);
    expect(first?.selected).toBe(5);
    expect(await w.t.sql`select 1 from draws where round_id = ${roundId}`).toHaveLength(1);
    const winners = await selectedIds(w.t, roundId);
    expect(winners).toEqual(
      [
        ...selectWinners(
          placed.map((p) => p.orderId),
          first?.seed ?? '',
          5,
        ),
      ].sort((a, b) => a - b),
    );
    await emailsExpanded(w, roundId);
    const mails = await w.t
      .sql`select 1 from outbox where dedupe_key = any(${placed.map((p) => `draw-email:${p.orderId}`)})`;
    expect(mails).toHaveLength(5);
    const audit = await w.t
      .sql`select 1 from audit_log where action = 'round.draw' and subject = ${`round:${roundId}`}`;
    expect(audit).toHaveLength(1);
  });

  it('analyses draw_winners once the winners are in, and not again when the draw is only answered again', async () => {
    const analyses = async () =>
      (
        await w.t.sql<{ n: number }[]>`
          select analyze_count::int as n from pg_stat_user_tables where relname = 'draw_winners'`
      )[0]?.n ?? 0;
    // Statistics reach the view when the analysing connection flushes them (within a second).
    const analysesAfter = async (before: number) => {
      for (let i = 0; i < 50 && (await analyses()) === before; i++)
        await new Promise((r) => setTimeout(r, 100));
      return analyses();
    };
    const { roundId } = await roundWithOrders(w, 6, 2);
    await at(w, AFTER_CLOSE);
    const before = await analyses();
    expect((await draw(w, roundId, 'abcd')).status).toBe(200);
    const after = await analysesAfter(before);
    expect(after).toBe(before + 1);
    expect((await draw(w, roundId, 'abcd')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await analyses()).toBe(after);
  });

  it('draws a round without orders', async () => {
    const { roundId } = await roundWithOrders(w, 0, 3);
    await at(w, AFTER_CLOSE);
    const res = await draw(w, roundId, 'aa');
    expect(res.body).toMatchObject({ orders: 0, selected: 0 });
    const csv = await w.api.get(`/api/v1/rounds/${roundId}/draw/export.csv`);
    expect(csv.text).toBe('order_id,selected\n');
  });

  it('gives the same winners for the same seed on a fresh database', async () => {
    const seed = '5eed5eed5eed5eed';
    const outcomes: number[][] = [];
    for (let i = 0; i < 2; i++) {
      // A fresh database each time (order ids from 1): the file's own app would not do.
      const app = await startTestApp();
      const fresh = await world(app);
      try {
        const { roundId, placed } = await roundWithOrders(fresh, 15, 6);
        await at(fresh, AFTER_CLOSE);
        const res = await draw(fresh, roundId, seed);
        expect(res.body).toMatchObject({ orders: 15, selected: 6 });
        expect(placed.map((p) => p.orderId)).toEqual(Array.from({ length: 15 }, (_, k) => k + 1));
        outcomes.push(await selectedIds(fresh.t, roundId));
      } finally {
        await app.close();
      }
    }
    expect(outcomes[0]).toHaveLength(6);
    expect(outcomes[1]).toEqual(outcomes[0]);
    const ids = Array.from({ length: 15 }, (_, k) => k + 1);
    expect(outcomes[0]).toEqual([...selectWinners(ids, seed, 6)].sort((a, b) => a - b));
  });
});

describe('SQL and TypeScript agree', () => {
  it('on the winners with the hash pre-filter, and when too few pass it (full sort)', async () => {
    const { roundId } = await roundWithOrders(w, 0, 1);
    const store = w.storeId;
    const people = await w.t.sql<{ id: number }[]>`
      insert into persons (national_id, name, birth_date, nationality, created_at)
      select 'Z' || lpad(g::text, 9, '0'), 'draw', '1980-01-01', 'TW', now() from generate_series(1, 3000) g
      returning id`;
    const orders = await w.t.sql<{ id: number }[]>`
      insert into orders (round_id, person_id, store_id, phone, email, channel, amount, submitted_at, updated_at)
      select ${roundId}, id, ${store}, '0912345678', 'x@example.com', 'web_card', 22, now(), now()
      from unnest(${people.map((p) => p.id)}::bigint[]) id
      returning id`;
    const ids = orders.map((o) => o.id);
    const { bytes } = normalizeSeed('abc123');
    // sigmas 10, no slack: ~(300 + 173) / 3000 of the keys pass; sigmas −5: fewer than 300 pass.
    for (const sigmas of [10, -5]) {
      const picked = await w.t.sql.begin(async (tx) => {
        const n = await selectWinnersSql(tx, roundId, bytes, 300, {
          orders: 3000,
          sigmas,
          slack: 0,
        });
        const rows = await tx<{ id: number }[]>`
          select order_id as id from draw_winners where round_id = ${roundId} order by order_id`;
        await tx`delete from draw_winners where round_id = ${roundId}`;
        return { n, ids: rows.map((r) => r.id) };
      });
      expect(picked.n).toBe(300);
      expect(picked.ids).toEqual([...selectWinners(ids, 'abc123', 300)].sort((a, b) => a - b));
    }
  });

  it('on virtual accounts for random round and order ids', async () => {
    const pairs = fc.sample(
      fc.tuple(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 999_999_999 })),
      500,
    );
    const rows = await w.t.sql<{ va: string }[]>`
      select emask_virtual_account(r, o) as va
      from unnest(${pairs.map((p) => p[0])}::bigint[], ${pairs.map((p) => p[1])}::bigint[]) with ordinality as x (r, o, n)
      order by n`;
    expect(rows.map((r) => r.va)).toEqual(pairs.map(([r, o]) => virtualAccount(r, o)));
  });

  it('on lottery keys for random seeds and order ids', async () => {
    const cases = fc.sample(
      fc.tuple(fc.stringMatching(/^[0-9a-f]{1,64}$/), fc.integer({ min: 1, max: 2_000_000_000 })),
      200,
    );
    for (const [seed, id] of cases) {
      const { bytes } = normalizeSeed(seed);
      const [row] = await w.t.sql<{ key: Buffer }[]>`select emask_draw_key(${bytes}::bytea, ${id}) as key`;
      expect(row?.key.equals(drawKey(bytes, id))).toBe(true);
    }
  });
});

describe('selection e-mails expanded in chunks (migration 0051)', () => {
  it('turns the queued template into one e-mail per winner, chunk by chunk, never twice', async () => {
    // A database of its own with no delivery worker: only this test expands.
    const sql = createSql(await createTestDatabase(), { max: 2 });
    try {
      const now = new Date('2020-03-18T20:00:00+08:00');
      const [round] = await sql<{ id: number }[]>`
        insert into rounds (name, registration_opens_at, registration_closes_at, payment_opens_at,
                            payment_closes_at, pickup_starts_on, pickup_ends_on, supply_packs, created_at)
        values ('chunks', '2020-03-12T09:00+08', '2020-03-18T20:00+08', '2020-03-19T09:00+08',
                '2020-03-25T20:00+08', '2020-03-26', '2020-04-01', 10, ${now}) returning id`;
      const [store] = await sql<{ id: number }[]>`
        insert into stores (chain, store_no, name, address, city, district, created_at)
        values ('OK', 'c1', 'x', 'x', '臺北市', '中正區', ${now}) returning id`;
      const roundId = round?.id ?? 0;
      const orders: number[] = [];
      for (let i = 0; i < 10; i++) {
        const [person] = await sql<{ id: number }[]>`
          insert into persons (national_id, name, birth_date, nationality, created_at)
          values (${`sealed-${i}`}, 'x', '1980-01-01', 'TW', ${now}) returning id`;
        const [order] = await sql<{ id: number }[]>`
          insert into orders (round_id, person_id, store_id, phone, email, channel, amount, submitted_at, updated_at)
          values (${roundId}, ${person?.id ?? 0}, ${store?.id ?? 0}, 'p', ${`e${i}`}, 'web_card', 22, ${now}, ${now})
          returning id`;
        orders.push(order?.id ?? 0);
      }
      const winners = orders.filter((_, i) => i % 3 !== 1); // 7 of 10
      await sql`insert into draw_winners ${sql(winners.map((order_id) => ({ round_id: roundId, order_id })))}`;
      const message = {
        from: OFFICIAL_EMAIL_SENDER,
        subject: 'order {id}',
        body: 'order {id}: NT$[amount] 查證碼：<ref>',
        summary: 'selected {id}',
        orderIdPlaceholder: '{id}',
        amountPlaceholder: '[amount]',
        referencePlaceholder: '<ref>',
      };
      // A template without its reference is a programming error, refused before anything is queued.
      await expect(
        queueSelectedEmails(sql, roundId, { ...message, body: 'order {id}' }, now),
      ).rejects.toThrow(/reference/);
      await queueSelectedEmails(sql, roundId, message, now);
      await queueSelectedEmails(sql, roundId, message, now); // a second queueing is a no-op
      expect(await sql`select 1 from outbox`).toHaveLength(0);

      // A reference drawn twice (about never) fails its chunk, which the next call repeats with
      // new references: nothing is skipped and no message goes without its own reference.
      const collide = (n: number) => Array.from({ length: n }, () => 'AAAA-AAAA-AAAA');
      await expect(expandSelectedEmails(sql, 3, collide)).rejects.toThrow(/outbox_reference/);
      expect(await sql`select 1 from outbox`).toHaveLength(0);

      const chunks: number[] = [];
      for (let n = await expandSelectedEmails(sql, 3); n > 0; n = await expandSelectedEmails(sql, 3))
        chunks.push(n);
      expect(chunks).toEqual([3, 3, 1]);
      const mails = await sql<
        {
          dedupe_key: string;
          recipient: string;
          body: string;
          reference: string;
          summary: string;
          created_at: Date;
        }[]
      >`select dedupe_key, recipient, body, reference, summary, created_at from outbox order by id`;
      expect(mails.map((m) => m.dedupe_key)).toEqual(winners.map((id) => `draw-email:${id}`));
      expect(mails.map((m) => m.recipient)).toEqual(winners.map((id) => `e${orders.indexOf(id)}`));
      expect(mails[0]?.body).toBe(`order ${winners[0]}: NT$22 查證碼：${mails[0]?.reference}`);
      expect(mails.map((m) => m.summary)).toEqual(winners.map((id) => `selected ${id}`));
      for (const m of mails) expect(m.reference).toMatch(REFERENCE);
      expect(new Set(mails.map((m) => m.reference)).size).toBe(7);
      expect(mails.every((m) => m.created_at.getTime() === now.getTime())).toBe(true);

      // A lost cursor (as after a crash between chunks) repeats nothing: dedupe_key.
      await sql`update draw_email_batches set expanded = false, expanded_through = 0`;
      while ((await expandSelectedEmails(sql, 4)) > 0);
      expect(await sql`select 1 from outbox`).toHaveLength(7);
    } finally {
      await sql.end();
    }
  });
});
