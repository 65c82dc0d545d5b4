// Over 300 lines: one table (check, then sell) whose rows are the refusal cases, plus what the check writes.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  cardPresence,
  createPaidOrder,
  createPharmacy,
  createStore,
  issueCard,
  newChallenge,
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
type Item = 'adult' | 'child';
type Reason = { code: string; message: string; [detail: string]: unknown };
type Eligibility = {
  mayBuy: boolean;
  items: Record<Item, { allowed: boolean; reason?: Reason }>;
  nextEligibleOn: string | null;
  allowedWeekdays: number[];
  todayWeekday: number;
  today: string;
  buyer: { nameMasked: string; age: number };
  reasons: Reason[];
};
type ErrorReply = { error: Reason };
type SaleReply = { saleId: number; amount: number; nextEligibleOn: string };

// 2020-03-15 was a Sunday: every ID may buy.
const SUNDAY = '2020-03-15T10:00:00+08:00';

beforeAll(async () => {
  await setClock(api, SUNDAY);
  admin = await t.admin();
});

const eligibilityUrl = (p: Pharmacy) => `/api/v1/pharmacies/${p.code}/eligibility`;

async function check(pharmacy: Pharmacy, card: TestCard, token = pharmacy.apiKey) {
  const presence = await cardPresence(t.deps.vault, card, t.deps.clock.now());
  return api.post<Eligibility & ErrorReply>(
    eligibilityUrl(pharmacy),
    { cardNo: card.cardNo, ...presence },
    { token },
  );
}

async function sell(pharmacy: Pharmacy, card: TestCard, item: Item) {
  const presence = await cardPresence(t.deps.vault, card, t.deps.clock.now());
  return api.post<SaleReply & ErrorReply>(
    `/api/v1/pharmacies/${pharmacy.code}/sales`,
    { cardNo: card.cardNo, ...presence, item },
    { token: pharmacy.apiKey },
  );
}

async function stocked(stock = { adult: 300, child: 500 }): Promise<Pharmacy> {
  const pharmacy = await createPharmacy(api, admin);
  await setPharmacyStock(api, pharmacy, stock);
  return pharmacy;
}

/** What a check must leave untouched: purchases, stock, orders, idempotency records. */
async function stateOf(pharmacy: Pharmacy, card: TestCard) {
  const [row] = await t.sql<{ adult: number; child: number; version: string }[]>`
    select adult_stock as adult, child_stock as child, data_version::text as version
    from pharmacies where code = ${pharmacy.code}`;
  const [counts] = await t.sql<{ purchases: number; orders: number; keys: number }[]>`
    select (select count(*)::int from purchases where person_id = ${card.personId}) as purchases,
           (select count(*)::int from orders where person_id = ${card.personId}) as orders,
           (select count(*)::int from idempotency_keys) as keys`;
  return { stock: row, ...counts };
}

interface Situation {
  name: string;
  /** The platform clock at the check and the sale. */
  at: string;
  card?: { parity?: 'odd' | 'even'; birthDate?: string };
  stock?: { adult: number; child: number };
  /** Days (Sundays, so any ID may buy) on which the person bought an adult pack elsewhere. */
  boughtOn?: string[];
  /** A paid eMask order of round 1 (pickup 3/26 – 4/1). */
  paidOrder?: boolean;
  expected: {
    mayBuy: boolean;
    adult: string | null;
    child: string | null;
    reasons: string[];
    nextEligibleOn: string | null;
    allowedWeekdays?: number[];
    todayWeekday?: number;
    age?: number;
  };
}

const SITUATIONS: Situation[] = [
  {
    name: 'an adult on Sunday may buy an adult pack, not a child pack',
    at: SUNDAY,
    expected: {
      mayBuy: true,
      adult: null,
      child: 'CHILD_ITEM_NOT_ALLOWED',
      reasons: ['CHILD_ITEM_NOT_ALLOWED'],
      nextEligibleOn: null,
      todayWeekday: 7,
      age: 34,
    },
  },
  {
    name: 'a child of 9 may buy either pack',
    at: SUNDAY,
    card: { birthDate: '2010-05-05' },
    expected: { mayBuy: true, adult: null, child: null, reasons: [], nextEligibleOn: null, age: 9 },
  },
  {
    name: 'someone turning 17 tomorrow still buys a child pack',
    at: SUNDAY,
    card: { birthDate: '2003-03-16' },
    expected: { mayBuy: true, adult: null, child: null, reasons: [], nextEligibleOn: null, age: 16 },
  },
  {
    name: 'on the 17th birthday a child pack is refused, an adult pack is not',
    at: SUNDAY,
    card: { birthDate: '2003-03-15' },
    expected: {
      mayBuy: true,
      adult: null,
      child: 'CHILD_ITEM_NOT_ALLOWED',
      reasons: ['CHILD_ITEM_NOT_ALLOWED'],
      nextEligibleOn: null,
      age: 17,
    },
  },
  {
    name: 'an even ID on Monday: wrong day, with the weekdays',
    at: '2020-03-16T10:00:00+08:00',
    card: { parity: 'even', birthDate: '2010-05-05' },
    expected: {
      mayBuy: false,
      adult: 'WRONG_DAY_FOR_ID',
      child: 'WRONG_DAY_FOR_ID',
      reasons: ['WRONG_DAY_FOR_ID'],
      nextEligibleOn: null,
      allowedWeekdays: [2, 4, 6, 7],
      todayWeekday: 1,
    },
  },
  {
    name: 'an odd ID in the last second of a Saturday (Taipei): wrong day',
    at: '2020-03-28T23:59:59+08:00',
    card: { parity: 'odd' },
    expected: {
      mayBuy: false,
      adult: 'WRONG_DAY_FOR_ID',
      child: 'WRONG_DAY_FOR_ID',
      reasons: ['WRONG_DAY_FOR_ID', 'CHILD_ITEM_NOT_ALLOWED'],
      nextEligibleOn: null,
      allowedWeekdays: [1, 3, 5, 7],
      todayWeekday: 6,
    },
  },
  {
    name: 'bought last Sunday elsewhere: not yet on Saturday, with the date',
    at: '2020-03-21T18:00:00+08:00',
    card: { parity: 'even', birthDate: '2010-05-05' },
    boughtOn: ['2020-03-15'],
    expected: {
      mayBuy: false,
      adult: 'NOT_YET_ELIGIBLE',
      child: 'NOT_YET_ELIGIBLE',
      reasons: ['NOT_YET_ELIGIBLE'],
      nextEligibleOn: '2020-03-22',
    },
  },
  {
    name: 'bought last Sunday: allowed again on day 7',
    at: '2020-03-22T08:00:00+08:00',
    boughtOn: ['2020-03-15'],
    expected: {
      mayBuy: true,
      adult: null,
      child: 'CHILD_ITEM_NOT_ALLOWED',
      reasons: ['CHILD_ITEM_NOT_ALLOWED'],
      nextEligibleOn: null,
    },
  },
  {
    name: 'a paid eMask order counts on its first pickup day, across channels',
    at: '2020-03-27T10:00:00+08:00',
    card: { parity: 'odd' },
    paidOrder: true,
    expected: {
      mayBuy: false,
      adult: 'NOT_YET_ELIGIBLE',
      child: 'CHILD_ITEM_NOT_ALLOWED',
      reasons: ['CHILD_ITEM_NOT_ALLOWED', 'NOT_YET_ELIGIBLE'],
      nextEligibleOn: '2020-04-02',
    },
  },
  {
    name: 'fewer adult masks left than a pack holds: out of stock (the child stock is no reason for an adult)',
    at: SUNDAY,
    stock: { adult: 2, child: 0 },
    expected: {
      mayBuy: false,
      adult: 'OUT_OF_STOCK',
      child: 'CHILD_ITEM_NOT_ALLOWED',
      reasons: ['CHILD_ITEM_NOT_ALLOWED', 'OUT_OF_STOCK'],
      nextEligibleOn: null,
    },
  },
  {
    name: 'child masks sold out, adult masks left: a child may still buy an adult pack',
    at: SUNDAY,
    card: { birthDate: '2012-01-01' },
    stock: { adult: 30, child: 4 },
    expected: {
      mayBuy: true,
      adult: null,
      child: 'OUT_OF_STOCK',
      reasons: ['OUT_OF_STOCK'],
      nextEligibleOn: null,
    },
  },
  {
    name: 'everything at once on a Monday: the weekday comes first, every reason is listed in order',
    at: '2020-03-16T10:00:00+08:00',
    card: { parity: 'even', birthDate: '2000-01-01' },
    stock: { adult: 0, child: 0 },
    boughtOn: ['2020-03-15'],
    expected: {
      mayBuy: false,
      adult: 'WRONG_DAY_FOR_ID',
      child: 'WRONG_DAY_FOR_ID',
      reasons: ['WRONG_DAY_FOR_ID', 'CHILD_ITEM_NOT_ALLOWED', 'NOT_YET_ELIGIBLE', 'OUT_OF_STOCK'],
      nextEligibleOn: '2020-03-22',
      age: 20,
    },
  },
  {
    name: 'the same person on the Tuesday: age before interval, interval before stock',
    at: '2020-03-17T10:00:00+08:00',
    card: { parity: 'even', birthDate: '2000-01-01' },
    stock: { adult: 0, child: 0 },
    boughtOn: ['2020-03-15'],
    expected: {
      mayBuy: false,
      adult: 'NOT_YET_ELIGIBLE',
      child: 'CHILD_ITEM_NOT_ALLOWED',
      reasons: ['CHILD_ITEM_NOT_ALLOWED', 'NOT_YET_ELIGIBLE', 'OUT_OF_STOCK'],
      nextEligibleOn: '2020-03-22',
    },
  },
  {
    name: 'in stock and eligible, but only one pack a week: the day-7 sale clears the refusal',
    at: '2020-03-22T10:00:00+08:00',
    card: { parity: 'even', birthDate: '2000-01-01' },
    stock: { adult: 3, child: 0 },
    boughtOn: ['2020-03-15'],
    expected: {
      mayBuy: true,
      adult: null,
      child: 'CHILD_ITEM_NOT_ALLOWED',
      reasons: ['CHILD_ITEM_NOT_ALLOWED'],
      nextEligibleOn: null,
    },
  },
];

describe('the check answers exactly what the sale would (table: check, then sell)', () => {
  it.each(SITUATIONS)('$name', async (situation) => {
    const pharmacy = await stocked(situation.stock);
    const card = await issueCard(api, admin, {
      nationalId: randomNationalId(situation.card?.parity ? { lastDigitParity: situation.card.parity } : {}),
      ...(situation.card?.birthDate ? { birthDate: situation.card.birthDate } : {}),
      name: '王小明',
    });
    try {
      if (situation.boughtOn) {
        const elsewhere = await stocked();
        for (const day of situation.boughtOn) {
          await setClock(api, `${day}T09:00:00+08:00`);
          expect((await sell(elsewhere, card, 'adult')).status).toBe(201);
        }
      }
      if (situation.paidOrder) {
        await createPaidOrder(
          { api, admin, deps: t.deps },
          {
            personId: card.personId,
            now: t.deps.clock.now(),
            round: { name: `eligibility-${card.cardNo}` },
          },
        );
      }
      await setClock(api, situation.at);

      const before = await stateOf(pharmacy, card);
      const res = await check(pharmacy, card);
      expect(res.status, res.text).toBe(200);
      expect(await stateOf(pharmacy, card)).toEqual(before);

      const e = situation.expected;
      const verdict = res.body;
      expect(verdict.mayBuy).toBe(e.mayBuy);
      expect(verdict.items.adult.reason?.code ?? null).toBe(e.adult);
      expect(verdict.items.child.reason?.code ?? null).toBe(e.child);
      expect(verdict.items.adult.allowed).toBe(e.adult === null);
      expect(verdict.items.child.allowed).toBe(e.child === null);
      expect(verdict.reasons.map((r) => r.code)).toEqual(e.reasons);
      expect(verdict.nextEligibleOn).toBe(e.nextEligibleOn);
      if (e.allowedWeekdays) expect(verdict.allowedWeekdays).toEqual(e.allowedWeekdays);
      if (e.todayWeekday) expect(verdict.todayWeekday).toBe(e.todayWeekday);
      if (e.age !== undefined) expect(verdict.buyer.age).toBe(e.age);
      expect(verdict.buyer.nameMasked).toBe('王○明');
      expect(verdict.today).toBe(situation.at.slice(0, 10));

      // Now sell: refused packs first (a refusal changes nothing), then an allowed one; after a
      // sale the person may not buy again, so the comparison stops there.
      const items: Item[] = (['adult', 'child'] as const)
        .slice()
        .sort((a, b) => Number(verdict.items[a].allowed) - Number(verdict.items[b].allowed));
      for (const item of items) {
        const sale = await sell(pharmacy, card, item);
        if (verdict.items[item].allowed) {
          expect(sale.status, `${item}: ${sale.text}`).toBe(201);
          break;
        }
        expect(sale.status, item).toBeGreaterThanOrEqual(400);
        // the check's reason IS the sale's error object: code, message, every detail
        expect(verdict.items[item].reason).toEqual(sale.body.error);
        expect(verdict.reasons).toContainEqual(sale.body.error);
      }
    } finally {
      await setClock(api, SUNDAY);
    }
  });
});

describe('what the check writes', () => {
  it('no purchase, no stock change: only the used-up challenge and an audit row without personal data', async () => {
    const pharmacy = await stocked({ adult: 30, child: 50 });
    const card = await issueCard(api, admin, { name: '陳美玲' });
    const challenge = await newChallenge(api);
    const before = await stateOf(pharmacy, card);
    const res = await api.post<Eligibility>(
      eligibilityUrl(pharmacy),
      {
        cardNo: card.cardNo,
        challengeId: challenge.challengeId,
        cardSignature: signNonce(card.privateKeyPem, challenge.nonce),
      },
      { token: pharmacy.apiKey },
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ mayBuy: true, buyer: { nameMasked: '陳○玲', age: 34 } });
    expect(await stateOf(pharmacy, card)).toEqual(before);

    const [used] = await t.sql<{ used: boolean }[]>`
      select used_at is not null as used from challenges where id = ${challenge.challengeId}`;
    expect(used?.used).toBe(true);
    const audit = await t.sql<{ actor_id: string; subject: string; details: Record<string, unknown> }[]>`
      select actor_id, subject, details from audit_log
      where action = 'pharmacy.eligibility_check' and actor_id = ${pharmacy.code}`;
    expect(audit).toEqual([
      {
        actor_id: pharmacy.code,
        subject: `pharmacy:${pharmacy.code}`,
        details: { mayBuy: true, adult: null, child: 'CHILD_ITEM_NOT_ALLOWED' },
      },
    ]);
    const logged = JSON.stringify(audit);
    for (const personal of [card.nationalId, card.cardNo, card.name]) {
      expect(logged).not.toContain(personal);
    }
    expect(logged).not.toContain('personId');
  });

  it('a check then a sale needs two challenges: the check used up its own', async () => {
    const pharmacy = await stocked();
    const card = await issueCard(api, admin);
    const presence = await cardPresence(t.deps.vault, card, t.deps.clock.now());
    const body = { cardNo: card.cardNo, ...presence };
    const first = await api.post(eligibilityUrl(pharmacy), body, { token: pharmacy.apiKey });
    expect(first.status).toBe(200);

    const again = await api.post<ErrorReply>(eligibilityUrl(pharmacy), body, { token: pharmacy.apiKey });
    expect(again.status).toBe(422);
    expect(again.body.error.code).toBe('CARD_NOT_PRESENT');
    const sale = await api.post<ErrorReply>(
      `/api/v1/pharmacies/${pharmacy.code}/sales`,
      { ...body, item: 'adult' },
      { token: pharmacy.apiKey },
    );
    expect(sale.status).toBe(422);
    expect(sale.body.error.code).toBe('CARD_NOT_PRESENT');

    // with a second challenge the sale goes through
    expect((await sell(pharmacy, card, 'adult')).status).toBe(201);
  });
});

describe('the card must be known and present', () => {
  it('404 UNKNOWN_CARD for a card never issued and for one replaced by a reissue', async () => {
    const pharmacy = await stocked();
    const { challengeId } = createChallenge(t.deps.vault, t.deps.clock.now());
    const unknown = await api.post<ErrorReply>(
      eligibilityUrl(pharmacy),
      { cardNo: '999999999999', challengeId, cardSignature: 'AAAA' },
      { token: pharmacy.apiKey },
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('UNKNOWN_CARD');

    const nationalId = randomNationalId();
    const old = await issueCard(api, admin, { nationalId });
    await issueCard(api, admin, { nationalId });
    const replaced = await check(pharmacy, old);
    expect(replaced.status).toBe(404);
    expect(replaced.body.error.code).toBe('UNKNOWN_CARD');
  });

  it('422 CARD_NOT_PRESENT for another card’s signature, a wrong nonce, an expired or unknown challenge; nothing about the person leaks', async () => {
    const pharmacy = await stocked();
    const card = await issueCard(api, admin);
    const other = await issueCard(api, admin);
    const now = t.deps.clock.now();
    const post = (challengeId: string, cardSignature: string) =>
      api.post<ErrorReply & Partial<Eligibility>>(
        eligibilityUrl(pharmacy),
        { cardNo: card.cardNo, challengeId, cardSignature },
        { token: pharmacy.apiKey },
      );
    const c1 = createChallenge(t.deps.vault, now);
    const c2 = createChallenge(t.deps.vault, now);
    const expired = createChallenge(t.deps.vault, new Date(now.getTime() - 6 * 60_000));
    const answers = [
      await post(c1.challengeId, signNonce(other.privateKeyPem, c1.nonce)),
      await post(c2.challengeId, signNonce(card.privateKeyPem, 'not the nonce')),
      await post(expired.challengeId, signNonce(card.privateKeyPem, expired.nonce)),
      await post('00000000-0000-4000-8000-000000000000', 'AAAA'),
    ];
    for (const res of answers) {
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('CARD_NOT_PRESENT');
      expect(res.body.buyer).toBeUndefined();
      expect(res.text).not.toContain('allowedWeekdays');
    }
    const [audits] = await t.sql<{ n: number }[]>`
      select count(*)::int as n from audit_log
      where action = 'pharmacy.eligibility_check' and actor_id = ${pharmacy.code}`;
    expect(audits?.n).toBe(0);
  });

  it('400 VALIDATION_FAILED for a card number of the wrong shape, a missing signature or a body that is not JSON', async () => {
    const pharmacy = await stocked();
    const card = await issueCard(api, admin);
    const presence = await cardPresence(t.deps.vault, card, t.deps.clock.now());
    const token = pharmacy.apiKey;
    const answers = [
      await api.post(eligibilityUrl(pharmacy), { cardNo: '12345', ...presence }, { token }),
      await api.post(
        eligibilityUrl(pharmacy),
        { cardNo: card.cardNo, challengeId: presence.challengeId },
        { token },
      ),
      await api.call('POST', eligibilityUrl(pharmacy), { raw: '{"cardNo":', token }),
    ];
    for (const res of answers) {
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    }
  });
});

describe('authorization: only the pharmacy itself may check', () => {
  it('no key 401, another pharmacy 403, a store 403, an operator 401; the challenge is not used up by them', async () => {
    const pharmacy = await stocked();
    const other = await createPharmacy(api, admin);
    const store = await createStore(api, admin);
    const card = await issueCard(api, admin);
    const presence = await cardPresence(t.deps.vault, card, t.deps.clock.now());
    const body = { cardNo: card.cardNo, ...presence };
    const callers: [string, string | undefined, number][] = [
      ['no key', undefined, 401],
      ["another pharmacy's key", other.apiKey, 403],
      ["a store's key", store.apiKey, 403],
      ['an operator token', admin, 401],
      ['garbage', 'pk_pharmacy_nope', 401],
    ];
    for (const [who, token, status] of callers) {
      const res = await api.post<Partial<Eligibility>>(eligibilityUrl(pharmacy), body, { token });
      expect(res.status, who).toBe(status);
      expect(res.body.buyer, who).toBeUndefined();
    }
    const [audits] = await t.sql<{ n: number }[]>`
      select count(*)::int as n from audit_log where action = 'pharmacy.eligibility_check'
        and actor_id in ${t.sql([pharmacy.code, other.code])}`;
    expect(audits?.n).toBe(0);
    // the refused callers did not use up the challenge: the pharmacy's own key still can
    const own = await api.post<Eligibility>(eligibilityUrl(pharmacy), body, { token: pharmacy.apiKey });
    expect(own.status).toBe(200);
    expect(own.body.mayBuy).toBe(true);
  });
});

describe('OpenAPI', () => {
  it('documents the check with its body, its answer and the rule it follows', async () => {
    const docs = await api.get<{
      paths: Record<
        string,
        Record<
          string,
          {
            description?: string;
            requestBody?: { content: Record<string, { schema: { required?: string[] } }> };
            responses: Record<string, { content?: Record<string, { schema: { required?: string[] } }> }>;
          }
        >
      >;
    }>('/docs/json');
    const op = docs.body.paths['/api/v1/pharmacies/{code}/eligibility']?.post;
    expect(op).toBeDefined();
    expect(op?.description).toContain('CARD_NOT_PRESENT');
    expect(op?.requestBody?.content['application/json']?.schema.required).toEqual(
      expect.arrayContaining(['cardNo', 'challengeId', 'cardSignature']),
    );
    expect(op?.responses['200']?.content?.['application/json']?.schema.required).toEqual(
      expect.arrayContaining([
        'mayBuy',
        'items',
        'nextEligibleOn',
        'allowedWeekdays',
        'todayWeekday',
        'buyer',
        'reasons',
      ]),
    );
  });
});
