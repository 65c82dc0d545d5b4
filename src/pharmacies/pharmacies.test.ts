// Over 300 lines: the sale's refusal table, stock, concurrency and idempotency share the card-in-reader helpers.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  cardPresence,
  citizenToken,
  createOrderInState,
  createPaidOrder,
  createPharmacy,
  createStore,
  issueCard,
  randomNationalId,
  setClock,
  setPharmacyStock,
  signNonce,
  type TestCard,
} from '../../test/support/factories.js';
import { setUpTestApp } from '../../test/support/fixture.js';
import { createChallenge } from '../identity/challenges.js';

const t = setUpTestApp();
const api = t.api;
let admin: string;

type Pharmacy = { code: string; apiKey: string };
type SaleReply = { saleId: number; amount: number; nextEligibleOn: string };
type ErrorReply = {
  error: { code: string; message: string; nextEligibleOn?: string; allowedWeekdays?: number[] };
};

// 2020-03-15 was a Sunday: every ID may buy.
const SUNDAY = '2020-03-15T10:00:00+08:00';

beforeAll(async () => {
  await setClock(api, SUNDAY);
  admin = await t.admin();
});

async function sell(
  pharmacy: Pharmacy,
  card: TestCard,
  item: 'adult' | 'child' = 'adult',
  options: { key?: string; token?: string } = {},
) {
  const presence = await cardPresence(t.deps.vault, card, t.deps.clock.now());
  return api.post<SaleReply & ErrorReply>(
    `/api/v1/pharmacies/${pharmacy.code}/sales`,
    { cardNo: card.cardNo, ...presence, item },
    {
      token: options.token ?? pharmacy.apiKey,
      ...(options.key ? { headers: { 'idempotency-key': options.key } } : {}),
    },
  );
}

async function stocked(stock = { adult: 300, child: 500 }): Promise<Pharmacy> {
  const pharmacy = await createPharmacy(api, admin);
  await setPharmacyStock(api, pharmacy, stock);
  return pharmacy;
}

async function stockOf(code: string) {
  const [row] = await t.sql<{ adult: number; child: number }[]>`
    select adult_stock as adult, child_stock as child from pharmacies where code = ${code}`;
  return row;
}

async function purchasesOf(personId: number) {
  return t.sql<{ id: number; item: string; masks: number; amount: number; day: string; place_ref: string }[]>`
    select id, item, masks, amount, to_char(purchased_on, 'YYYY-MM-DD') as day, place_ref
    from purchases where person_id = ${personId} order by id`;
}

describe('stock', () => {
  it('sets adult and child stock in masks, stamping the update time', async () => {
    const pharmacy = await createPharmacy(api, admin);
    const res = await api.put(
      `/api/v1/pharmacies/${pharmacy.code}/stock`,
      { adult: 600, child: 250 },
      { token: pharmacy.apiKey },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      code: pharmacy.code,
      adult: 600,
      child: 250,
      updatedAt: '2020-03-15T10:00:00+08:00',
    });
    const [row] = await t.sql<{ adult_stock: number; child_stock: number; stock_updated_at: Date }[]>`
      select adult_stock, child_stock, stock_updated_at from pharmacies where code = ${pharmacy.code}`;
    expect(row).toEqual({ adult_stock: 600, child_stock: 250, stock_updated_at: new Date(SUNDAY) });
  });

  it('refuses negative, fractional or missing counts with 400 and changes nothing', async () => {
    const pharmacy = await stocked({ adult: 9, child: 10 });
    for (const body of [
      { adult: -1, child: 0 },
      { adult: 1.5, child: 0 },
      { adult: 3 },
      { adult: '3', child: 'x' },
    ]) {
      const res = await api.put(`/api/v1/pharmacies/${pharmacy.code}/stock`, body, {
        token: pharmacy.apiKey,
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    }
    expect(await stockOf(pharmacy.code)).toEqual({ adult: 9, child: 10 });
  });
});

describe('pharmacy sale', () => {
  it('sells an adult pack: purchase, stock decrement and audit row together, next date 7 days on', async () => {
    const pharmacy = await stocked({ adult: 30, child: 50 });
    const card = await issueCard(api, admin);
    const res = await sell(pharmacy, card);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ saleId: expect.any(Number), amount: 15, nextEligibleOn: '2020-03-22' });
    expect(await stockOf(pharmacy.code)).toEqual({ adult: 27, child: 50 });
    expect(await purchasesOf(card.personId)).toEqual([
      {
        id: res.body.saleId,
        item: 'adult',
        masks: 3,
        amount: 15,
        day: '2020-03-15',
        place_ref: pharmacy.code,
      },
    ]);
    const audit =
      await t.sql`select actor_kind, actor_id, action from audit_log where subject = ${`purchase:${res.body.saleId}`}`;
    expect(audit).toEqual([{ actor_kind: 'pharmacy', actor_id: pharmacy.code, action: 'pharmacy.sale' }]);
  });

  it('works with a challenge from POST /api/v1/auth/challenges, as a POS does it', async () => {
    const pharmacy = await stocked({ adult: 30, child: 0 });
    const card = await issueCard(api, admin);
    const challenge = await api.post<{ challengeId: string; nonce: string }>('/api/v1/auth/challenges', {});
    expect([200, 201]).toContain(challenge.status);
    const res = await api.post<SaleReply>(
      `/api/v1/pharmacies/${pharmacy.code}/sales`,
      {
        cardNo: card.cardNo,
        challengeId: challenge.body.challengeId,
        cardSignature: signNonce(card.privateKeyPem, challenge.body.nonce),
        item: 'adult',
      },
      { token: pharmacy.apiKey },
    );
    expect(res.status).toBe(201);
  });

  it('a child pack costs NT$25 and takes 5 child masks', async () => {
    const pharmacy = await stocked({ adult: 30, child: 50 });
    const card = await issueCard(api, admin, { birthDate: '2012-01-01' });
    const res = await sell(pharmacy, card, 'child');
    expect(res.status).toBe(201);
    expect(res.body.amount).toBe(25);
    expect(await stockOf(pharmacy.code)).toEqual({ adult: 30, child: 45 });
  });

  describe('refusals (each changes neither stock nor purchases)', () => {
    it('404 UNKNOWN_CARD for a card never issued and for a card replaced by a reissue', async () => {
      const pharmacy = await stocked();
      const before = await stockOf(pharmacy.code);
      const { challengeId } = createChallenge(t.deps.vault, t.deps.clock.now());
      const unknown = await api.post<ErrorReply>(
        `/api/v1/pharmacies/${pharmacy.code}/sales`,
        { cardNo: '999999999999', challengeId, cardSignature: 'AAAA', item: 'adult' },
        { token: pharmacy.apiKey },
      );
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.code).toBe('UNKNOWN_CARD');

      const nationalId = randomNationalId();
      const old = await issueCard(api, admin, { nationalId });
      await issueCard(api, admin, { nationalId });
      const revoked = await sell(pharmacy, old);
      expect(revoked.status).toBe(404);
      expect(revoked.body.error.code).toBe('UNKNOWN_CARD');
      expect(await stockOf(pharmacy.code)).toEqual(before);
      expect(await purchasesOf(old.personId)).toEqual([]);
    });

    it('422 CARD_NOT_PRESENT for a wrong signature, a used, an expired and an unknown challenge', async () => {
      const pharmacy = await stocked();
      const card = await issueCard(api, admin);
      const other = await issueCard(api, admin);
      const now = t.deps.clock.now();
      const url = `/api/v1/pharmacies/${pharmacy.code}/sales`;
      const post = (body: Record<string, unknown>) =>
        api.post<ErrorReply>(
          url,
          { cardNo: card.cardNo, item: 'adult', ...body },
          { token: pharmacy.apiKey },
        );

      const c1 = createChallenge(t.deps.vault, now);
      const wrongKey = await post({
        challengeId: c1.challengeId,
        cardSignature: signNonce(other.privateKeyPem, c1.nonce),
      });
      const c2 = createChallenge(t.deps.vault, now);
      const wrongNonce = await post({
        challengeId: c2.challengeId,
        cardSignature: signNonce(card.privateKeyPem, 'other'),
      });
      const expired = createChallenge(t.deps.vault, new Date(now.getTime() - 6 * 60_000));
      const late = await post({
        challengeId: expired.challengeId,
        cardSignature: signNonce(card.privateKeyPem, expired.nonce),
      });
      const unknown = await post({
        challengeId: '00000000-0000-4000-8000-000000000000',
        cardSignature: 'AAAA',
      });
      const notUuid = await post({ challengeId: 'nope', cardSignature: 'AAAA' });
      for (const res of [wrongKey, wrongNonce, late, unknown, notUuid]) {
        expect(res.status).toBe(422);
        expect(res.body.error.code).toBe('CARD_NOT_PRESENT');
      }

      // a challenge that served one sale cannot serve another
      const c3 = createChallenge(t.deps.vault, now);
      const body = { challengeId: c3.challengeId, cardSignature: signNonce(card.privateKeyPem, c3.nonce) };
      expect((await post(body)).status).toBe(201);
      const replay = await post(body);
      expect(replay.status).toBe(422);
      expect(replay.body.error.code).toBe('CARD_NOT_PRESENT');
      expect(await purchasesOf(card.personId)).toHaveLength(1);
      expect(await stockOf(pharmacy.code)).toEqual({ adult: 297, child: 500 });
    });

    it('409 WRONG_DAY_FOR_ID with the allowed ISO weekdays; Sunday is open to all', async () => {
      const pharmacy = await stocked();
      const odd = await issueCard(api, admin, { nationalId: randomNationalId({ lastDigitParity: 'odd' }) });
      const even = await issueCard(api, admin, { nationalId: randomNationalId({ lastDigitParity: 'even' }) });
      try {
        await setClock(api, '2020-03-16T10:00:00+08:00'); // Monday
        const refused = await sell(pharmacy, even);
        expect(refused.status).toBe(409);
        expect(refused.body.error).toMatchObject({ code: 'WRONG_DAY_FOR_ID', allowedWeekdays: [2, 4, 6, 7] });
        expect(await purchasesOf(even.personId)).toEqual([]);
        expect((await sell(pharmacy, odd)).status).toBe(201);

        await setClock(api, '2020-03-17T10:00:00+08:00'); // Tuesday
        expect((await sell(pharmacy, even)).status).toBe(201);

        await setClock(api, '2020-03-28T23:59:59+08:00'); // Saturday, last second (Taipei)
        const lateSaturday = await sell(pharmacy, odd);
        expect(lateSaturday.body.error).toMatchObject({
          code: 'WRONG_DAY_FOR_ID',
          allowedWeekdays: [1, 3, 5, 7],
        });
        await setClock(api, '2020-03-29T00:00:00+08:00'); // Sunday, first second
        expect((await sell(pharmacy, odd)).status).toBe(201);
        expect((await sell(pharmacy, even)).status).toBe(201);
      } finally {
        await setClock(api, SUNDAY);
      }
    });

    it('422 CHILD_ITEM_NOT_ALLOWED from the 17th birthday on; 16 on the day still buys a child pack', async () => {
      const pharmacy = await stocked({ adult: 30, child: 50 });
      // on 2020-03-15: turns 17 today / turns 17 tomorrow / turns 16 today
      const seventeenToday = await issueCard(api, admin, { birthDate: '2003-03-15' });
      const sixteenStill = await issueCard(api, admin, { birthDate: '2003-03-16' });
      const sixteenToday = await issueCard(api, admin, { birthDate: '2004-03-15' });
      const refused = await sell(pharmacy, seventeenToday, 'child');
      expect(refused.status).toBe(422);
      expect(refused.body.error.code).toBe('CHILD_ITEM_NOT_ALLOWED');
      expect((await sell(pharmacy, sixteenStill, 'child')).status).toBe(201);
      expect((await sell(pharmacy, sixteenToday, 'child')).status).toBe(201);
      // the 17-year-old may still buy an adult pack
      expect((await sell(pharmacy, seventeenToday, 'adult')).status).toBe(201);
      expect(await stockOf(pharmacy.code)).toEqual({ adult: 27, child: 40 });
    });

    it('409 NOT_YET_ELIGIBLE with nextEligibleOn until 7 days have passed, across pharmacies', async () => {
      const a = await stocked();
      const b = await stocked();
      const card = await issueCard(api, admin, { nationalId: randomNationalId({ lastDigitParity: 'even' }) });
      try {
        expect((await sell(a, card)).status).toBe(201);
        await setClock(api, '2020-03-21T18:00:00+08:00'); // Saturday, day 6
        const early = await sell(b, card);
        expect(early.status).toBe(409);
        expect(early.body.error).toMatchObject({ code: 'NOT_YET_ELIGIBLE', nextEligibleOn: '2020-03-22' });
        expect(await stockOf(b.code)).toEqual({ adult: 300, child: 500 });
        await setClock(api, '2020-03-22T08:00:00+08:00');
        const onTime = await sell(b, card);
        expect(onTime.status).toBe(201);
        expect(onTime.body.nextEligibleOn).toBe('2020-03-29');
      } finally {
        await setClock(api, SUNDAY);
      }
    });

    it('counts a paid eMask order on its first pickup day (and a pharmacy sale before pickup still goes through)', async () => {
      const pharmacy = await stocked();
      const card = await issueCard(api, admin, { nationalId: randomNationalId({ lastDigitParity: 'odd' }) });
      const now = t.deps.clock.now();
      const { round, store } = await createPaidOrder(
        { api, admin, deps: t.deps },
        {
          personId: card.personId,
          now,
          round: { name: 'interval-test' },
        },
      );
      try {
        await setClock(api, '2020-03-27T10:00:00+08:00'); // Friday, within the order's week (3/26 – 4/1)
        const refused = await sell(pharmacy, card);
        expect(refused.status).toBe(409);
        expect(refused.body.error).toMatchObject({ code: 'NOT_YET_ELIGIBLE', nextEligibleOn: '2020-04-02' });
        await setClock(api, '2020-04-03T10:00:00+08:00'); // Friday
        expect((await sell(pharmacy, card)).status).toBe(201);
      } finally {
        await setClock(api, SUNDAY);
      }

      // before the pickup window a person with a paid order still buys (seeds [ORD 22, 23])
      const other = await issueCard(api, admin);
      await createOrderInState(t, {
        roundId: round.id,
        personId: other.personId,
        storeId: store.id,
        now,
        state: 'paid',
      });
      const before = await sell(pharmacy, other);
      expect(before.status).toBe(201);
      expect(before.body.nextEligibleOn).toBe('2020-03-22');
    });

    it('409 OUT_OF_STOCK when fewer masks are left than a pack holds', async () => {
      const pharmacy = await stocked({ adult: 2, child: 4 });
      const card = await issueCard(api, admin, { birthDate: '2010-05-05' });
      const adult = await sell(pharmacy, card, 'adult');
      expect(adult.status).toBe(409);
      expect(adult.body.error.code).toBe('OUT_OF_STOCK');
      const child = await sell(pharmacy, card, 'child');
      expect(child.status).toBe(409);
      expect(child.body.error.code).toBe('OUT_OF_STOCK');
      expect(await stockOf(pharmacy.code)).toEqual({ adult: 2, child: 4 });
      expect(await purchasesOf(card.personId)).toEqual([]);
    });

    it('checks in the documented order: weekday before age, age before interval, interval before stock', async () => {
      const empty = await stocked({ adult: 0, child: 0 });
      const full = await stocked();
      const teen = await issueCard(api, admin, {
        nationalId: randomNationalId({ lastDigitParity: 'even' }),
        birthDate: '2000-01-01',
      });
      expect((await sell(full, teen)).status).toBe(201);
      try {
        await setClock(api, '2020-03-16T10:00:00+08:00'); // Monday: wrong day, too old, too early, no stock
        expect((await sell(empty, teen, 'child')).body.error.code).toBe('WRONG_DAY_FOR_ID');
        await setClock(api, '2020-03-17T10:00:00+08:00'); // Tuesday
        expect((await sell(empty, teen, 'child')).body.error.code).toBe('CHILD_ITEM_NOT_ALLOWED');
        expect((await sell(empty, teen, 'adult')).body.error.code).toBe('NOT_YET_ELIGIBLE');
        await setClock(api, '2020-03-22T10:00:00+08:00');
        expect((await sell(empty, teen, 'adult')).body.error.code).toBe('OUT_OF_STOCK');
      } finally {
        await setClock(api, SUNDAY);
      }
    });

    it('400 VALIDATION_FAILED for a bad item, a card number of the wrong shape or a body that is not JSON', async () => {
      const pharmacy = await stocked();
      const card = await issueCard(api, admin);
      const presence = await cardPresence(t.deps.vault, card, t.deps.clock.now());
      const url = `/api/v1/pharmacies/${pharmacy.code}/sales`;
      const token = pharmacy.apiKey;
      const badItem = await api.post(url, { cardNo: card.cardNo, ...presence, item: 'n95' }, { token });
      const badCard = await api.post(url, { cardNo: '12345', ...presence, item: 'adult' }, { token });
      const notJson = await api.call('POST', url, { raw: '{"cardNo":', token });
      for (const res of [badItem, badCard, notJson]) {
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
      }
      expect(await purchasesOf(card.personId)).toEqual([]);
    });
  });
});

describe('concurrency against the real database', () => {
  it('8 concurrent sales of one card at 8 pharmacies: exactly one succeeds, one purchase row', async () => {
    const pharmacies = await Promise.all(Array.from({ length: 8 }, () => stocked({ adult: 30, child: 0 })));
    const card = await issueCard(api, admin);
    const results = await Promise.all(pharmacies.map((p) => sell(p, card)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409, 409, 409, 409, 409, 409]);
    expect(
      results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'NOT_YET_ELIGIBLE'),
    ).toBe(true);
    expect(await purchasesOf(card.personId)).toHaveLength(1);
    const [total] = await t.sql<{ adult: number }[]>`
      select sum(adult_stock)::int as adult from pharmacies where code in ${t.sql(pharmacies.map((p) => p.code))}`;
    expect(total?.adult).toBe(8 * 30 - 3);
  });

  it('20 concurrent buyers for 10 adult packs: exactly 10 succeed and the stock ends at exactly 0', async () => {
    const pharmacy = await stocked({ adult: 30, child: 0 });
    const cards = await Promise.all(Array.from({ length: 20 }, () => issueCard(api, admin)));
    const results = await Promise.all(cards.map((c) => sell(pharmacy, c)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(10);
    expect(results.filter((r) => r.status === 409 && r.body.error.code === 'OUT_OF_STOCK')).toHaveLength(10);
    expect(await stockOf(pharmacy.code)).toEqual({ adult: 0, child: 0 });
    const [rows] = await t.sql<
      { n: number }[]
    >`select count(*)::int as n from purchases where place_ref = ${pharmacy.code}`;
    expect(rows?.n).toBe(10);
  });
});

describe('Idempotency-Key', () => {
  it('a retried sale returns the first answer and changes nothing; a concurrent duplicate does not sell twice', async () => {
    const pharmacy = await stocked({ adult: 30, child: 0 });
    const card = await issueCard(api, admin);
    const presence = await cardPresence(t.deps.vault, card, t.deps.clock.now());
    const body = { cardNo: card.cardNo, ...presence, item: 'adult' };
    const url = `/api/v1/pharmacies/${pharmacy.code}/sales`;
    const options = { token: pharmacy.apiKey, headers: { 'idempotency-key': 'pos-1-0001' } };
    const first = await api.post<SaleReply>(url, body, options);
    const retry = await api.post<SaleReply>(url, body, options);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(await purchasesOf(card.personId)).toHaveLength(1);
    expect(await stockOf(pharmacy.code)).toEqual({ adult: 27, child: 0 });

    // the same key with another body is refused
    const reused = await api.post<ErrorReply>(url, { ...body, item: 'child' }, options);
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');

    // concurrent requests with one key: one sale, every answer the same
    const second = await issueCard(api, admin);
    const p2 = await cardPresence(t.deps.vault, second, t.deps.clock.now());
    const body2 = { cardNo: second.cardNo, ...p2, item: 'adult' };
    const options2 = { token: pharmacy.apiKey, headers: { 'idempotency-key': 'pos-1-0002' } };
    const burst = await Promise.all(
      Array.from({ length: 6 }, () => api.post<SaleReply>(url, body2, options2)),
    );
    expect(burst.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201]);
    expect(new Set(burst.map((r) => r.body.saleId)).size).toBe(1);
    expect(await purchasesOf(second.personId)).toHaveLength(1);
    expect(await stockOf(pharmacy.code)).toEqual({ adult: 24, child: 0 });
  });

  it('keys are per pharmacy, and a refusal after the card proved present is replayed too', async () => {
    const a = await stocked({ adult: 0, child: 0 });
    const b = await stocked({ adult: 30, child: 0 });
    const card = await issueCard(api, admin);
    const body = {
      cardNo: card.cardNo,
      ...(await cardPresence(t.deps.vault, card, t.deps.clock.now())),
      item: 'adult',
    };
    const options = (p: Pharmacy) => ({ token: p.apiKey, headers: { 'idempotency-key': 'shared-key' } });
    const refused = await api.post<ErrorReply>(`/api/v1/pharmacies/${a.code}/sales`, body, options(a));
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('OUT_OF_STOCK');
    // another pharmacy may use the same key string for its own request
    const sold = await sell(b, card, 'adult', { key: 'shared-key' });
    expect(sold.status).toBe(201);
    // a restocks; its retry still gets the recorded refusal and sells nothing
    await setPharmacyStock(api, a, { adult: 30, child: 0 });
    const retry = await api.post<ErrorReply>(`/api/v1/pharmacies/${a.code}/sales`, body, options(a));
    expect(retry.status).toBe(409);
    expect(retry.body).toEqual(refused.body);
    expect(await stockOf(a.code)).toEqual({ adult: 30, child: 0 });
    expect(await purchasesOf(card.personId)).toHaveLength(1);
  });

  it('idempotent stock updates and a key that is too long', async () => {
    const pharmacy = await stocked({ adult: 3, child: 0 });
    const url = `/api/v1/pharmacies/${pharmacy.code}/stock`;
    const options = { token: pharmacy.apiKey, headers: { 'idempotency-key': 'stock-1' } };
    const first = await api.put(url, { adult: 90, child: 10 }, options);
    await t.sql`update pharmacies set adult_stock = 87 where code = ${pharmacy.code}`; // a sale in between
    const retry = await api.put(url, { adult: 90, child: 10 }, options);
    expect(retry.body).toEqual(first.body);
    expect(await stockOf(pharmacy.code)).toEqual({ adult: 87, child: 10 });
    const tooLong = await api.put(
      url,
      { adult: 1, child: 1 },
      {
        token: pharmacy.apiKey,
        headers: { 'idempotency-key': 'k'.repeat(201) },
      },
    );
    expect(tooLong.status).toBe(400);
  });
});

describe('authorization matrix: only the pharmacy itself may sell or set its stock', () => {
  it('no key 401, another pharmacy 403, a store 403, an operator token 401, a citizen token 401; nothing changes', async () => {
    const pharmacy = await stocked({ adult: 30, child: 50 });
    const other = await createPharmacy(api, admin);
    const store = await createStore(api, admin);
    const card = await issueCard(api, admin);
    const citizen = await citizenToken(t.sql, card.personId, 'web_card', t.deps.clock.now());
    const callers: [string, string | undefined, number][] = [
      ['no key', undefined, 401],
      ["another pharmacy's key", other.apiKey, 403],
      ["a store's key", store.apiKey, 403],
      ['an operator token', admin, 401],
      ['a citizen token', citizen, 401],
      ['garbage', 'pk_pharmacy_nope', 401],
    ];
    for (const [who, token, status] of callers) {
      const sale = await sell(pharmacy, card, 'adult', token === undefined ? { token: '' } : { token });
      expect(sale.status, who).toBe(status);
      const stock = await api.put(
        `/api/v1/pharmacies/${pharmacy.code}/stock`,
        { adult: 0, child: 0 },
        { token },
      );
      expect(stock.status, who).toBe(status);
    }
    expect(await stockOf(pharmacy.code)).toEqual({ adult: 30, child: 50 });
    expect(await purchasesOf(card.personId)).toEqual([]);
    // and the pharmacy's own key works
    expect((await sell(pharmacy, card)).status).toBe(201);
  });
});

describe('OpenAPI', () => {
  it('documents the partner, record and open-data endpoints', async () => {
    const docs = await api.get<{ paths: Record<string, Record<string, { description?: string }>> }>(
      '/docs/json',
    );
    expect(docs.status).toBe(200);
    for (const path of [
      '/api/v1/pharmacies/{code}/sales',
      '/api/v1/pharmacies/{code}/stock',
      '/api/v1/airport-counters/{id}/sales',
      '/api/v1/me/purchases',
      '/api/v1/open-data/pharmacy-stock.csv',
      '/api/v1/open-data/pharmacy-stock.json',
    ]) {
      expect(Object.keys(docs.body.paths)).toContain(path);
    }
    expect(docs.body.paths['/api/v1/pharmacies/{code}/sales']?.post?.description).toContain(
      'CARD_NOT_PRESENT',
    );
  });
});
