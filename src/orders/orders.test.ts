import { beforeAll, describe, expect, it } from 'vitest';
import { citizenToken, createRound, createStore, issueCard, setClock } from '../../test/support/factories.js';
import { setUpTestApp } from '../../test/support/fixture.js';
import { loadProgramme } from '../purchases/programme.repo.js';
import { onlineOrderAmount } from '../rules/programme.js';

const t = setUpTestApp();
const api = t.api;
let admin: string;
let roundId: number;
let storeA: number;
let storeB: number;

const IN_REGISTRATION = '2020-03-12T10:00:00+08:00';

interface OrderReply {
  order: { id: number; roundId: number; storeId: number; status: string; amount: number };
}

const open = (kind: 'phone' | 'email', sealed: string) => t.deps.vault.open(kind, sealed);

async function citizen(channel: 'web_card' | 'app_phone' = 'web_card', birthDate?: string) {
  const card = await issueCard(api, admin, birthDate ? { birthDate } : {});
  return { ...card, token: await citizenToken(t.sql, card.personId, channel, t.deps.clock.now()) };
}

const body = (storeId: number, phone = '0912345678', email = 'someone@example.com') => ({
  storeId,
  phone,
  email,
});

beforeAll(async () => {
  admin = await t.admin();
  await setClock(api, IN_REGISTRATION);
  roundId = (await createRound(api, admin, { name: 'orders-test' })).id;
  storeA = (await createStore(api, admin, { chain: '7-11' })).id;
  storeB = (await createStore(api, admin, { chain: 'FamilyMart' })).id;
});

describe('PUT /rounds/{id}/order', () => {
  it('registers one adult pack for NT$22 and records the channel; a later PUT replaces it, keeping the id', async () => {
    const p = await citizen('app_phone');
    const first = await api.put<OrderReply>(`/api/v1/rounds/${roundId}/order`, body(storeA), {
      token: p.token,
    });
    expect(first.status).toBe(200);
    expect(first.body.order).toEqual({
      id: expect.any(Number),
      roundId,
      storeId: storeA,
      status: 'registered',
      amount: 22,
    });
    expect(first.body.order.amount).toBe(onlineOrderAmount(await loadProgramme(t.sql)));

    const webToken = await citizenToken(t.sql, p.personId, 'web_card', t.deps.clock.now());
    const second = await api.put<OrderReply>(
      `/api/v1/rounds/${roundId}/order`,
      body(storeB, '0987654321', 'new@example.com'),
      { token: webToken },
    );
    expect(second.status).toBe(200);
    expect(second.body.order.id).toBe(first.body.order.id);
    expect(second.body.order.storeId).toBe(storeB);
    const sealed = await t.sql<{ phone: string; email: string }[]>`
      select id, store_id, phone, email, channel, amount, state from orders
      where round_id = ${roundId} and person_id = ${p.personId}`;
    // Phone and e-mail are stored sealed (AES-256-GCM), never as typed.
    expect(JSON.stringify(sealed)).not.toMatch(/0987654321|new@example\.com/);
    const rows = sealed.map((r) => ({ ...r, phone: open('phone', r.phone), email: open('email', r.email) }));
    expect(rows).toEqual([
      {
        id: first.body.order.id,
        store_id: storeB,
        phone: '0987654321',
        email: 'new@example.com',
        channel: 'web_card',
        amount: 22,
        state: 'registered',
      },
    ]);
  });

  it('keeps the app channel on the order, so payment can refuse card payment for it', async () => {
    const p = await citizen('app_phone');
    const res = await api.put<OrderReply>(`/api/v1/rounds/${roundId}/order`, body(storeA), {
      token: p.token,
    });
    expect(res.status).toBe(200);
    const [row] = await t.sql<
      { channel: string }[]
    >`select channel from orders where id = ${res.body.order.id}`;
    expect(row?.channel).toBe('app_phone');
  });

  it('lets a child card order the adult pack at the same price', async () => {
    const child = await citizen('web_card', '2012-05-01');
    const res = await api.put<OrderReply>(`/api/v1/rounds/${roundId}/order`, body(storeA), {
      token: child.token,
    });
    expect(res.status).toBe(200);
    expect(res.body.order.amount).toBe(22);
  });

  it('validates the mobile number and e-mail, naming the field, and writes nothing', async () => {
    const p = await citizen();
    const cases: [Record<string, unknown>, string][] = [
      [body(storeA, '0812345678'), 'phone'],
      [body(storeA, '091234567'), 'phone'],
      [body(storeA, '+886912345678'), 'phone'],
      [body(storeA, '0912345678', 'not-an-email'), 'email'],
      [{ phone: '0912345678', email: 'a@example.com' }, 'storeId'],
      [body(storeA, '0912345678', 'x'.repeat(300)), 'email'],
    ];
    for (const [payload, field] of cases) {
      const res = await api.put<{ error: { code: string; fields: { field: string }[] } }>(
        `/api/v1/rounds/${roundId}/order`,
        payload,
        { token: p.token },
      );
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.fields.map((f) => f.field).join(' ')).toContain(field);
    }
    const rows = await t.sql`select 1 from orders where person_id = ${p.personId}`;
    expect(rows).toHaveLength(0);
  });

  it('refuses outside the registration window with REGISTRATION_CLOSED, before and after', async () => {
    const p = await citizen();
    try {
      for (const iso of [
        '2020-03-12T08:59:59+08:00',
        '2020-03-18T20:00:00+08:00',
        '2020-03-20T10:00:00+08:00',
      ]) {
        await setClock(api, iso);
        const token = await citizenToken(t.sql, p.personId, 'web_card', t.deps.clock.now());
        const res = await api.put(`/api/v1/rounds/${roundId}/order`, body(storeA), { token });
        expect(res.status).toBe(409);
        expect(res.body).toMatchObject({
          error: { code: 'REGISTRATION_CLOSED', registrationClosesAt: '2020-03-18T20:00:00+08:00' },
        });
      }
      await setClock(api, '2020-03-18T19:59:59+08:00');
      const token = await citizenToken(t.sql, p.personId, 'web_card', t.deps.clock.now());
      const last = await api.put(`/api/v1/rounds/${roundId}/order`, body(storeA), { token });
      expect(last.status).toBe(200);
    } finally {
      await setClock(api, IN_REGISTRATION);
    }
    const rows = await t.sql`select 1 from orders where person_id = ${p.personId}`;
    expect(rows).toHaveLength(1);
  });

  it('answers 404 for an unknown round or store and 409 STORE_CLOSED for a closed store', async () => {
    const p = await citizen();
    const noRound = await api.put('/api/v1/rounds/999999/order', body(storeA), { token: p.token });
    expect(noRound.status).toBe(404);
    expect(noRound.body).toMatchObject({ error: { code: 'UNKNOWN_ROUND' } });
    const noStore = await api.put(`/api/v1/rounds/${roundId}/order`, body(999999), { token: p.token });
    expect(noStore.status).toBe(404);
    expect(noStore.body).toMatchObject({ error: { code: 'UNKNOWN_STORE' } });
    const closing = await createStore(api, admin, { chain: 'Hi-Life' });
    const closed = await api.post(
      `/api/v1/admin/stores/${closing.id}/close`,
      { reassignTo: storeA },
      { token: admin },
    );
    expect(closed.status).toBe(200);
    const atClosed = await api.put(`/api/v1/rounds/${roundId}/order`, body(closing.id), { token: p.token });
    expect(atClosed.status).toBe(409);
    expect(atClosed.body).toMatchObject({ error: { code: 'STORE_CLOSED' } });
    const rows = await t.sql`select 1 from orders where person_id = ${p.personId}`;
    expect(rows).toHaveLength(0);
  });

  it('needs a signed-in citizen: 401 without a token, 403 for an operator', async () => {
    const none = await api.put(`/api/v1/rounds/${roundId}/order`, body(storeA));
    expect(none.status).toBe(401);
    const asAdmin = await api.put(`/api/v1/rounds/${roundId}/order`, body(storeA), { token: admin });
    expect(asAdmin.status).toBe(403);
  });

  it('leaves exactly one order when one person submits many times at once (last submission stands)', async () => {
    const p = await citizen();
    const stores = [storeA, storeB];
    const replies = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        api.put<OrderReply>(
          `/api/v1/rounds/${roundId}/order`,
          body(stores[i % 2] as number, `09${String(i).padStart(8, '0')}`),
          {
            token: p.token,
          },
        ),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(12).fill(200));
    expect(new Set(replies.map((r) => r.body.order.id)).size).toBe(1);
    const rows = await t.sql<{ id: number; store_id: number; phone: string }[]>`
      select id, store_id, phone from orders where round_id = ${roundId} and person_id = ${p.personId}`;
    expect(rows).toHaveLength(1);
    const stored = rows[0] as { id: number; store_id: number; phone: string };
    const i = Number(open('phone', stored.phone).slice(2));
    expect(stored.store_id).toBe(stores[i % 2]);
  });

  it('answers each of many submissions at once on its own (write coalescing), refusals included', async () => {
    const closing = await createStore(api, admin, { chain: 'OK' });
    expect(
      (await api.post(`/api/v1/admin/stores/${closing.id}/close`, { reassignTo: storeA }, { token: admin }))
        .status,
    ).toBe(200);
    const people = await Promise.all(Array.from({ length: 30 }, () => citizen()));
    const target = (i: number) =>
      i % 10 === 7
        ? { round: 999999, store: storeA }
        : { round: roundId, store: i % 10 === 3 ? closing.id : storeB };
    const replies = await Promise.all(
      people.map((p, i) =>
        api.put<OrderReply>(
          `/api/v1/rounds/${target(i).round}/order`,
          body(target(i).store, `09${String(i).padStart(8, '0')}`),
          { token: p.token },
        ),
      ),
    );
    const expected = people.map((_, i) => (i % 10 === 7 ? 404 : i % 10 === 3 ? 409 : 200));
    expect(replies.map((r) => r.status)).toEqual(expected);
    const rows = await t.sql<{ person_id: number; id: number; phone: string; store_id: number }[]>`
      select person_id, id, phone, store_id from orders
      where person_id in ${t.sql(people.map((p) => p.personId))}`;
    expect(rows).toHaveLength(24);
    for (const [i, p] of people.entries()) {
      const row = rows.find((r) => r.person_id === p.personId);
      if (expected[i] !== 200) {
        expect(row).toBeUndefined();
        continue;
      }
      expect({ ...row, phone: open('phone', row?.phone ?? '') }).toMatchObject({
        phone: `09${String(i).padStart(8, '0')}`,
        store_id: storeB,
      });
      expect(replies[i]?.body.order).toMatchObject({ id: row?.id, storeId: storeB, status: 'registered' });
    }
  });

  it('lets no order in once the draw holds the round, even one already waiting', async () => {
    const round = await createRound(api, admin, { name: 'straggler' });
    const p = await citizen();
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let locked: () => void = () => undefined;
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    // What the draw does: lock the round row and mark it drawn, then commit.
    const draw = t.sql.begin(async (tx) => {
      await tx`select id from rounds where id = ${round.id} for update`;
      await tx`update rounds set drawn_at = ${t.deps.clock.now()} where id = ${round.id}`;
      locked();
      await released;
    });
    await isLocked;
    const pending = api.put(`/api/v1/rounds/${round.id}/order`, body(storeA), { token: p.token });
    const early = await Promise.race([
      pending.then(() => 'answered'),
      new Promise((r) => setTimeout(() => r('waiting'), 300)),
    ]);
    expect(early).toBe('waiting');
    release();
    await draw;
    const res = await pending;
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: { code: 'REGISTRATION_CLOSED' } });
    const rows = await t.sql`select 1 from orders where round_id = ${round.id}`;
    expect(rows).toHaveLength(0);
  });
});
