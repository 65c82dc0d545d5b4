import { beforeAll, describe, expect, it } from 'vitest';
import {
  cardPresence,
  createPharmacy,
  issueCard,
  randomNationalId,
  setClock,
  setPharmacyStock,
  signNonce,
  type TestCard,
} from '../../test/support/factories.js';
import { setUpTestApp } from '../../test/support/fixture.js';
import { createChallenge, issuedChallenge, takeChallenge } from '../identity/challenges.js';
import { spendChallenges } from './pharmacies.repo.js';

// Sales are coalesced into batches (sell-at-pharmacy.ts): these tests fire many at once, so that
// several sales share one batch, and check that every rule still holds per sale.

const t = setUpTestApp();
const api = t.api;
let admin: string;

type Pharmacy = { code: string; apiKey: string };
type Reply = {
  saleId?: number;
  amount?: number;
  nextEligibleOn?: string;
  error?: { code: string; nextEligibleOn?: string };
};

// 2020-03-15 was a Sunday: every ID may buy.
const SUNDAY = '2020-03-15T10:00:00+08:00';

beforeAll(async () => {
  await setClock(api, SUNDAY);
  admin = await t.admin();
});

async function stocked(stock: { adult: number; child: number }): Promise<Pharmacy> {
  const pharmacy = await createPharmacy(api, admin);
  await setPharmacyStock(api, pharmacy, stock);
  return pharmacy;
}

async function sell(pharmacy: Pharmacy, card: TestCard, headers: Record<string, string> = {}) {
  const presence = await cardPresence(t.deps.vault, card, t.deps.clock.now());
  return saleWith(pharmacy, { cardNo: card.cardNo, ...presence, item: 'adult' }, headers);
}

function saleWith(pharmacy: Pharmacy, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return api.post<Reply>(`/api/v1/pharmacies/${pharmacy.code}/sales`, body, {
    token: pharmacy.apiKey,
    headers,
  });
}

async function stockOf(codes: string[]) {
  return t.sql<{ code: string; adult: number }[]>`
    select trim(code) as code, adult_stock as adult from pharmacies where code in ${t.sql(codes)} order by code`;
}

describe('sales coalesced into batches', () => {
  it('30 cards each at 3 pharmacies at once, 30 packs in all: one sale per card, every pack sold, never below zero', async () => {
    const pharmacies = await Promise.all(Array.from({ length: 3 }, () => stocked({ adult: 30, child: 0 })));
    const cards = await Promise.all(Array.from({ length: 30 }, () => issueCard(api, admin)));
    const results = await Promise.all(cards.flatMap((card) => pharmacies.map((p) => sell(p, card))));

    const sold = results.filter((r) => r.status === 201);
    expect(sold).toHaveLength(30);
    for (const r of results.filter((x) => x.status !== 201)) {
      expect(r.status).toBe(409);
      expect(['NOT_YET_ELIGIBLE', 'OUT_OF_STOCK']).toContain(r.body.error?.code);
    }
    expect((await stockOf(pharmacies.map((p) => p.code))).map((s) => s.adult)).toEqual([0, 0, 0]);

    const purchases = await t.sql<{ id: number; person_id: number; place_ref: string; masks: number }[]>`
      select id, person_id, trim(place_ref) as place_ref, masks from purchases
      where person_id in ${t.sql(cards.map((c) => c.personId))} order by person_id`;
    expect(purchases.map((p) => p.person_id)).toEqual(cards.map((c) => c.personId).sort((a, b) => a - b));
    expect(new Set(purchases.map((p) => p.id))).toEqual(new Set(sold.map((r) => r.body.saleId)));
    // 10 packs from each pharmacy, the audit row of each sale names its purchase and person
    for (const p of pharmacies) expect(purchases.filter((x) => x.place_ref === p.code)).toHaveLength(10);
    const audit = await t.sql<
      { subject: string; actor_id: string; details: { personId: number; masks: number } }[]
    >`
      select subject, actor_id, details from audit_log
      where action = 'pharmacy.sale' and subject in ${t.sql(purchases.map((p) => `purchase:${p.id}`))}`;
    expect(audit).toHaveLength(30);
    for (const p of purchases) {
      const row = audit.find((a) => a.subject === `purchase:${p.id}`);
      expect(row).toMatchObject({ actor_id: p.place_ref, details: { personId: p.person_id, masks: 3 } });
    }
  });

  it('refusals and sales in one burst each get their own answer; the weekday rule reads the ID per person', async () => {
    await setClock(api, '2020-03-16T09:00:00+08:00'); // a Monday: odd IDs only (admin session still fresh)
    try {
      const pharmacy = await stocked({ adult: 300, child: 0 });
      const odd = await Promise.all(
        Array.from({ length: 8 }, () =>
          issueCard(api, admin, { nationalId: randomNationalId({ lastDigitParity: 'odd' }) }),
        ),
      );
      const even = await Promise.all(
        Array.from({ length: 8 }, () =>
          issueCard(api, admin, { nationalId: randomNationalId({ lastDigitParity: 'even' }) }),
        ),
      );
      const results = await Promise.all([...odd, ...even].map((c) => sell(pharmacy, c)));
      expect(results.slice(0, 8).map((r) => r.status)).toEqual(Array(8).fill(201));
      for (const r of results.slice(8)) {
        expect(r.status).toBe(409);
        expect(r.body.error).toMatchObject({ code: 'WRONG_DAY_FOR_ID', allowedWeekdays: [2, 4, 6, 7] });
      }
      expect((await stockOf([pharmacy.code]))[0]?.adult).toBe(300 - 8 * 3);
    } finally {
      await setClock(api, SUNDAY);
    }
  });

  it('Idempotency-Keys in a burst: duplicates replay the first answer, refusals are recorded, nothing twice', async () => {
    const pharmacy = await stocked({ adult: 9, child: 0 });
    const cards = await Promise.all(Array.from({ length: 5 }, () => issueCard(api, admin)));
    const bodies = await Promise.all(
      cards.map(async (c) => ({
        cardNo: c.cardNo,
        ...(await cardPresence(t.deps.vault, c, t.deps.clock.now())),
        item: 'adult',
      })),
    );
    // each card's request 3 times with its own key, all 15 at once: 3 packs for 5 people
    const fire = () =>
      Promise.all(
        bodies.flatMap((body, k) =>
          Array.from({ length: 3 }, () => saleWith(pharmacy, body, { 'idempotency-key': `burst-${k}` })),
        ),
      );
    const first = await fire();
    for (let k = 0; k < 5; k++) {
      const mine = first.slice(k * 3, k * 3 + 3).map((r) => [r.status, r.body]);
      expect(mine[1]).toEqual(mine[0]);
      expect(mine[2]).toEqual(mine[0]);
    }
    const statuses = first.filter((_, i) => i % 3 === 0).map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(3);
    expect(statuses.filter((s) => s === 409)).toHaveLength(2);
    expect((await stockOf([pharmacy.code]))[0]?.adult).toBe(0);

    // retried later (after a restock): the same answers, replayed, nothing sold
    await setPharmacyStock(api, pharmacy, { adult: 30, child: 0 });
    const again = await fire();
    expect(again.map((r) => [r.status, r.body])).toEqual(first.map((r) => [r.status, r.body]));
    expect(again.every((r) => r.headers.get('idempotent-replayed') === 'true')).toBe(true);
    expect((await stockOf([pharmacy.code]))[0]?.adult).toBe(30);
    const [n] = await t.sql<{ n: number }[]>`
      select count(*)::int as n from purchases where person_id in ${t.sql(cards.map((c) => c.personId))}`;
    expect(n?.n).toBe(3);
  });

  it('one challenge sent twice at once, to two pharmacies: one of them uses it', async () => {
    const a = await stocked({ adult: 30, child: 0 });
    const b = await stocked({ adult: 30, child: 0 });
    const card = await issueCard(api, admin);
    const body = {
      cardNo: card.cardNo,
      ...(await cardPresence(t.deps.vault, card, t.deps.clock.now())),
      item: 'adult',
    };
    const [x, y] = await Promise.all([saleWith(a, body), saleWith(b, body)]);
    expect([x?.status, y?.status].sort()).toEqual([201, 422]);
    expect([x, y].find((r) => r?.status === 422)?.body.error?.code).toBe('CARD_NOT_PRESENT');
  });

  it('a challenge is spent once even by two transactions at once: the primary key decides, not a read', async () => {
    const card = await issueCard(api, admin);
    const now = t.deps.clock.now();
    const issued = issuedChallenge(t.deps.vault, createChallenge(t.deps.vault, now).challengeId, now);
    if (!issued) throw new Error('challenge not valid at its own instant');
    const [row] = await t.sql<{ pem: string }[]>`
      select public_key_pem as pem from cards where card_no = ${card.cardNo} and revoked_at is null`;
    const query = { cardNo: card.cardNo, publicKeyPem: row?.pem ?? '', challenge: issued, now };
    // Login flows spend one the same way (takeChallenge): the same race, one request each.
    const login = createChallenge(t.deps.vault, now);
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const spentFirst: { used: boolean }[][] = [];
    const takenFirst: (string | null)[] = [];
    const first = t.sql.begin(async (tx) => {
      spentFirst.push(await spendChallenges(tx, [query]));
      takenFirst.push(await takeChallenge(tx, t.deps.vault, login.challengeId, now));
      await gate; // both are inserted, not yet committed
    });
    while (takenFirst.length === 0) await new Promise((r) => setTimeout(r, 10));
    const second = t.sql.begin(async (tx) => [
      await spendChallenges(tx, [query]),
      await takeChallenge(tx, t.deps.vault, login.challengeId, now),
    ]);
    await new Promise((r) => setTimeout(r, 100)); // the second waits on the first's uncommitted rows
    release();
    await first;
    const [spentSecond, takenSecond] = (await second) as [{ used: boolean }[], string | null];
    expect(spentFirst[0]).toEqual([{ card: true, used: true }]);
    expect(spentSecond).toEqual([{ card: true, used: false }]);
    expect(takenFirst[0]).toBe(login.nonce);
    expect(takenSecond).toBeNull();
  });

  it('a reissued card: the old card is refused even after its key was used, the new one is the person', async () => {
    const pharmacy = await stocked({ adult: 30, child: 0 });
    const nationalId = randomNationalId();
    const old = await issueCard(api, admin, { nationalId });
    expect((await sell(pharmacy, old)).status).toBe(201);
    const fresh = await issueCard(api, admin, { nationalId });
    const byOld = await sell(pharmacy, old);
    expect(byOld.status).toBe(404);
    expect(byOld.body.error?.code).toBe('UNKNOWN_CARD');
    // the old card's key does not sign for the new card
    const { challengeId, cardSignature } = await cardPresence(t.deps.vault, old, t.deps.clock.now());
    const forged = await saleWith(pharmacy, {
      cardNo: fresh.cardNo,
      challengeId,
      cardSignature,
      item: 'adult',
    });
    expect(forged.status).toBe(422);
    const byNew = await sell(pharmacy, fresh);
    expect(byNew.status).toBe(409);
    expect(byNew.body.error?.code).toBe('NOT_YET_ELIGIBLE');
  });

  it('a revoked partner key is refused at once (look-ups are batched, never cached)', async () => {
    const pharmacy = await stocked({ adult: 30, child: 0 });
    const card = await issueCard(api, admin);
    const statuses = await Promise.all(
      Array.from({ length: 10 }, () =>
        api.put(
          `/api/v1/pharmacies/${pharmacy.code}/stock`,
          { adult: 30, child: 0 },
          { token: pharmacy.apiKey },
        ),
      ),
    );
    expect(statuses.map((r) => r.status)).toEqual(Array(10).fill(200));
    await t.sql`update partner_keys set revoked_at = now() where kind = 'pharmacy' and partner_ref = ${pharmacy.code}`;
    const refused = await sell(pharmacy, card);
    expect(refused.status).toBe(401);
    expect((await stockOf([pharmacy.code]))[0]?.adult).toBe(30);
  });
});

describe('challenges', () => {
  it('many at once: each is distinct, valid 5 minutes, stored only once used, and single use', async () => {
    const replies = await Promise.all(
      Array.from({ length: 40 }, () =>
        api.post<{ challengeId: string; nonce: string; expiresAt: string }>('/api/v1/auth/challenges', {}),
      ),
    );
    expect(replies.every((r) => r.status === 201)).toBe(true);
    const ids = replies.map((r) => r.body.challengeId);
    expect(new Set(ids).size).toBe(40);
    expect(new Set(replies.map((r) => r.body.nonce)).size).toBe(40);
    const now = t.deps.clock.now();
    for (const r of replies) {
      expect(new Date(r.body.expiresAt).getTime() - now.getTime()).toBe(5 * 60_000);
    }
    // Issuing writes nothing (src/identity/challenges.ts): the sale below stores the one it uses.
    const stored = () => t.sql`select 1 from challenges where id in ${t.sql(ids)}`;
    expect(await stored()).toHaveLength(0);
    const pharmacy = await stocked({ adult: 30, child: 0 });
    const card = await issueCard(api, admin);
    const first = replies[0]?.body as { challengeId: string; nonce: string };
    const body = {
      cardNo: card.cardNo,
      challengeId: first.challengeId,
      cardSignature: signNonce(card.privateKeyPem, first.nonce),
      item: 'adult',
    };
    expect((await saleWith(pharmacy, body)).status).toBe(201);
    expect((await saleWith(pharmacy, body)).status).toBe(422);
    const [used] = await t.sql<
      { id: string; nonce: string; expires_at: Date; created_at: Date; used_at: Date }[]
    >`
      select id, nonce, expires_at, created_at, used_at from challenges where id in ${t.sql(ids)}`;
    expect(await stored()).toHaveLength(1);
    expect(used).toEqual({
      id: first.challengeId,
      nonce: first.nonce,
      created_at: now,
      expires_at: new Date(now.getTime() + 5 * 60_000),
      used_at: now,
    });
  });
});
