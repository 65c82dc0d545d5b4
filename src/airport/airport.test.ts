import { beforeAll, describe, expect, it } from 'vitest';
import {
  cardPresence,
  createPharmacy,
  issueCard,
  randomNationalId,
  randomNewArc,
  setClock,
  setPharmacyStock,
} from '../../test/support/factories.js';
import { setUpTestApp } from '../../test/support/fixture.js';
import { idKind, withCheckDigit } from '../rules/ids.js';

const t = setUpTestApp();
const api = t.api;
let admin: string;
type Counter = { id: number; apiKey: string };
type Reply = {
  saleId: number;
  price: number;
  currency: string;
  nextEligibleOn: string;
  error: { code: string; nextEligibleOn?: string };
};

// 2020-03-23 was a Monday: the odd/even rule would refuse even IDs at a pharmacy.
const MONDAY = '2020-03-23T07:30:00+08:00';

beforeAll(async () => {
  await setClock(api, MONDAY);
  admin = await t.admin();
});

async function counter(name = '桃園機場第一航廈免稅店'): Promise<Counter> {
  const res = await api.post<Counter>('/api/v1/admin/airport-counters', { name }, { token: admin });
  if (res.status !== 201) throw new Error(res.text);
  return res.body;
}

function sell(
  c: Counter,
  document: { type: string; number: string },
  options: { item?: string; currency?: string; token?: string; key?: string } = {},
) {
  return api.post<Reply>(
    `/api/v1/airport-counters/${c.id}/sales`,
    { document, item: options.item ?? 'adult', currency: options.currency ?? 'TWD' },
    {
      token: options.token ?? c.apiKey,
      ...(options.key ? { headers: { 'idempotency-key': options.key } } : {}),
    },
  );
}

const travellerKey = (number: string) => t.deps.vault.index('passport', number).toString('hex');
const passport = () => `3${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

describe('airport arrivals', () => {
  it('sells a passport holder one set for NT$50, refuses a second within the period at any counter', async () => {
    const t1 = await counter();
    const t2 = await counter('桃園機場第二航廈免稅店');
    const number = passport();
    const first = await sell(t1, { type: 'passport', number });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      saleId: expect.any(Number),
      price: 50,
      currency: 'TWD',
      nextEligibleOn: '2020-03-30',
    });
    const [row] =
      await t.sql`select person_id, passport_no, channel, place_name, item, masks, amount, currency
      from purchases where id = ${first.body.saleId}`;
    // Stored as the keyed blind index of the number, never the number itself.
    const key = travellerKey(number);
    expect(JSON.stringify(row)).not.toContain(number);
    expect(row).toEqual({
      person_id: null,
      passport_no: key,
      channel: 'airport',
      place_name: '桃園機場第一航廈免稅店',
      item: 'adult',
      masks: 3,
      amount: 50,
      currency: 'TWD',
    });
    // same passport written differently, at the other terminal
    const second = await sell(t2, { type: 'passport', number: ` ${number.slice(0, 4)}-${number.slice(4)} ` });
    expect(second.status).toBe(409);
    expect(second.body.error).toMatchObject({ code: 'NOT_YET_ELIGIBLE', nextEligibleOn: '2020-03-30' });
    const [count] = await t.sql<
      { n: number }[]
    >`select count(*)::int as n from purchases where passport_no = ${key}`;
    expect(count?.n).toBe(1);
  });

  it('prices a set at US$2 in dollars, child sets take 5 masks, no odd/even rule at arrivals', async () => {
    const c = await counter();
    const even = await issueCard(api, admin, { nationalId: randomNationalId({ lastDigitParity: 'even' }) });
    const res = await sell(c, { type: 'nhi_card', number: even.cardNo }, { item: 'child', currency: 'USD' });
    expect(res.status).toBe(201); // a Monday, even ID
    expect(res.body).toMatchObject({ price: 2, currency: 'USD' });
    const [row] =
      await t.sql`select person_id, masks, amount, currency from purchases where id = ${res.body.saleId}`;
    expect(row).toEqual({ person_id: even.personId, masks: 5, amount: 2, currency: 'USD' });
  });

  it('a national buying at the airport joins the purchase record: the pharmacy then refuses', async () => {
    const c = await counter();
    const card = await issueCard(api, admin, { nationalId: randomNationalId({ lastDigitParity: 'odd' }) });
    expect((await sell(c, { type: 'nhi_card', number: card.cardNo })).status).toBe(201);
    const pharmacy = await createPharmacy(api, admin);
    await setPharmacyStock(api, pharmacy, { adult: 30, child: 0 });
    const presence = await cardPresence(t.deps.vault, card, t.deps.clock.now());
    const sale = await api.post<Reply>(
      `/api/v1/pharmacies/${pharmacy.code}/sales`,
      { cardNo: card.cardNo, ...presence, item: 'adult' },
      { token: pharmacy.apiKey },
    );
    expect(sale.status).toBe(409);
    expect(sale.body.error).toMatchObject({ code: 'NOT_YET_ELIGIBLE', nextEligibleOn: '2020-03-30' });
  });

  it('a resident by resident certificate number is the same person as their NHI card', async () => {
    const c = await counter();
    const arc = randomNewArc();
    const resident = await issueCard(api, admin, { nationalId: arc, nationality: 'foreign' });
    const byArc = await sell(c, { type: 'arc', number: arc.toLowerCase() });
    expect(byArc.status).toBe(201);
    const [row] = await t.sql`select person_id, passport_no from purchases where id = ${byArc.body.saleId}`;
    expect(row).toEqual({ person_id: resident.personId, passport_no: null });
    const byCard = await sell(c, { type: 'nhi_card', number: resident.cardNo });
    expect(byCard.status).toBe(409);
    expect(byCard.body.error.code).toBe('NOT_YET_ELIGIBLE');

    // a person recorded with a separate resident certificate number
    const arc2 = randomNewArc();
    const other = await issueCard(api, admin, {
      nationality: 'foreign',
      nationalId: randomNewArc(),
      arcNumber: arc2,
    });
    const byArc2 = await sell(c, { type: 'arc', number: arc2 });
    expect(byArc2.status).toBe(201);
    const [row2] = await t.sql`select person_id from purchases where id = ${byArc2.body.saleId}`;
    expect(row2).toEqual({ person_id: other.personId });
  });

  it('a resident not on record is tracked by certificate number: one set per period', async () => {
    const c = await counter();
    const arc = randomNewArc();
    expect((await sell(c, { type: 'arc', number: arc })).status).toBe(201);
    const second = await sell(c, { type: 'arc', number: arc.toLowerCase() });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('NOT_YET_ELIGIBLE');
    expect((await sell(c, { type: 'arc', number: randomNewArc() })).status).toBe(201);
  });

  it('a week later the same traveller may buy again', async () => {
    const c = await counter();
    const number = passport();
    expect((await sell(c, { type: 'passport', number })).status).toBe(201);
    try {
      await setClock(api, '2020-03-30T06:00:00+08:00');
      expect((await sell(c, { type: 'passport', number })).status).toBe(201);
    } finally {
      await setClock(api, MONDAY);
    }
  });

  it('refuses an unknown NHI card (404 UNKNOWN_CARD) and malformed documents (400)', async () => {
    const c = await counter();
    const unknownCard = await sell(c, { type: 'nhi_card', number: '000000000001' });
    expect(unknownCard.status).toBe(404);
    expect(unknownCard.body.error.code).toBe('UNKNOWN_CARD');
    expect((await sell(c, { type: 'arc', number: 'A800000000' })).status).toBe(400);
    expect((await sell(c, { type: 'nhi_card', number: '12' })).status).toBe(400);
    expect((await sell(c, { type: 'passport', number: '#!' })).status).toBe(400);
    expect((await sell(c, { type: 'visa', number: '123456' })).status).toBe(400);
    expect((await sell(c, { type: 'passport', number: passport() }, { currency: 'JPY' })).status).toBe(400);
    const [count] = await t.sql<
      { n: number }[]
    >`select count(*)::int as n from purchases where place_ref = ${`counter:${c.id}`}`;
    expect(count?.n).toBe(0);
  });

  it('5 counters selling to one passport at once sell exactly one set', async () => {
    const counters = await Promise.all(Array.from({ length: 5 }, () => counter()));
    const number = passport();
    const results = await Promise.all(counters.map((c) => sell(c, { type: 'passport', number })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    const [count] = await t.sql<
      { n: number }[]
    >`select count(*)::int as n from purchases where passport_no = ${travellerKey(number)}`;
    expect(count?.n).toBe(1);
  });

  it('an Idempotency-Key retry returns the first sale', async () => {
    const c = await counter();
    const number = passport();
    const first = await sell(c, { type: 'passport', number }, { key: 'till-7-42' });
    const retry = await sell(c, { type: 'passport', number }, { key: 'till-7-42' });
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
  });

  it('only the counter itself may sell: no key 401, another counter 403, a pharmacy 403', async () => {
    const c = await counter();
    const other = await counter();
    const pharmacy = await createPharmacy(api, admin);
    const number = passport();
    expect((await sell(c, { type: 'passport', number }, { token: '' })).status).toBe(401);
    expect((await sell(c, { type: 'passport', number }, { token: other.apiKey })).status).toBe(403);
    expect((await sell(c, { type: 'passport', number }, { token: pharmacy.apiKey })).status).toBe(403);
    expect((await sell(c, { type: 'passport', number }, { token: admin })).status).toBe(401);
    const [count] = await t.sql<
      { n: number }[]
    >`select count(*)::int as n from purchases where passport_no = ${travellerKey(number)}`;
    expect(count?.n).toBe(0);
  });
});

describe('airport arrivals: a national or resident ID is not a passport', () => {
  const purchasesOf = async (personId: number) =>
    (await t.sql<{ n: number }[]>`select count(*)::int as n from purchases where person_id = ${personId}`)[0]
      ?.n;
  const passportRows = async (number: string) =>
    (
      await t.sql<
        { n: number }[]
      >`select count(*)::int as n from purchases where passport_no = ${travellerKey(number)}`
    )[0]?.n;

  it('bought with the NHI card, the same national ID typed as a passport → 422 NOT_A_PASSPORT (presentAs nhi_card)', async () => {
    const c = await counter();
    const card = await issueCard(api, admin);
    expect((await sell(c, { type: 'nhi_card', number: card.cardNo })).status).toBe(201);
    for (const typed of [
      card.nationalId,
      ` ${card.nationalId.toLowerCase().slice(0, 4)}-${card.nationalId.slice(4)} `,
    ]) {
      const res = await sell(c, { type: 'passport', number: typed });
      expect(res.status, typed).toBe(422);
      expect(res.body.error).toMatchObject({ code: 'NOT_A_PASSPORT', presentAs: 'nhi_card' });
      expect((res.body.error as { message?: string }).message).toMatch(/nhi_card/);
    }
    expect(await purchasesOf(card.personId)).toBe(1);
    expect(await passportRows(card.nationalId)).toBe(0);
  });

  it('a national ID nobody holds a card for, typed as a passport, is refused too (before any sale)', async () => {
    const c = await counter();
    const id = randomNationalId();
    const res = await sell(c, { type: 'passport', number: id });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'NOT_A_PASSPORT', presentAs: 'nhi_card' });
    expect(await passportRows(id)).toBe(0);
  });

  it('resident certificate numbers, 2021 and old format, typed as a passport → 422 NOT_A_PASSPORT (presentAs arc)', async () => {
    const c = await counter();
    const arc = randomNewArc();
    const resident = await issueCard(api, admin, { nationalId: arc, nationality: 'foreign' });
    expect((await sell(c, { type: 'arc', number: arc })).status).toBe(201);
    const oldArc = withCheckDigit(`AB${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`);
    expect(idKind(oldArc)).toBe('arc_old');
    for (const number of [arc, oldArc]) {
      const res = await sell(c, { type: 'passport', number });
      expect(res.status, number).toBe(422);
      expect(res.body.error).toMatchObject({ code: 'NOT_A_PASSPORT', presentAs: 'arc' });
    }
    expect(await purchasesOf(resident.personId)).toBe(1);
  });

  it('real-looking passport numbers still sell: Taiwan 9 digits, letter + 7 or 8 digits, an ID shape failing the check digit', async () => {
    const c = await counter();
    const valid = randomNationalId();
    const wrongCheck = `${valid.slice(0, 9)}${(Number(valid.at(-1)) + 1) % 10}`;
    const numbers = [
      `3${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`, // Taiwan passport
      `A${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`,
      `E${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
      wrongCheck,
    ];
    for (const number of numbers) {
      expect(idKind(number), number).toBeNull();
      const res = await sell(c, { type: 'passport', number });
      expect(res.status, `${number}: ${JSON.stringify(res.body)}`).toBe(201);
    }
  });
});
