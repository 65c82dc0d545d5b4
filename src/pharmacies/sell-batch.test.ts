import { beforeAll, describe, expect, it } from 'vitest';
import {
  adminLogin,
  cardPresence,
  createPharmacy,
  issueCard,
  setClock,
  setPharmacyStock,
  type TestCard,
} from '../../test/support/factories.js';
import { setUpTestApp } from '../../test/support/fixture.js';
import { fingerprintOf } from '../platform/idempotency.js';
import { loadProgramme } from '../purchases/programme.repo.js';
import { packSize } from '../rules/programme.js';
import { type SaleAnswer, type SellAtPharmacyInput, sellBatch } from './sell-at-pharmacy.js';

// The batched sale use case called directly, on the real repositories and a real database: no
// HTTP for the sales (the app is started for its Deps and to set up cards and pharmacies).

const t = setUpTestApp();
let admin: string;
/** Masks in an adult pack, as the programme says. */
let pack: number;
const api = () => t.api;

type Pharmacy = { code: string; apiKey: string };

// 2020-03-15 was a Sunday: every ID may buy.
const SUNDAY = '2020-03-15T10:00:00+08:00';

beforeAll(async () => {
  await setClock(api(), SUNDAY);
  admin = await adminLogin(api());
  pack = packSize('adult', await loadProgramme(t.sql));
});

async function stocked(adult: number): Promise<Pharmacy> {
  const pharmacy = await createPharmacy(api(), admin);
  await setPharmacyStock(api(), pharmacy, { adult, child: 0 });
  return pharmacy;
}

const cards = (n: number) => Promise.all(Array.from({ length: n }, () => issueCard(api(), admin)));

/** A sale as the route builds it, with a fresh challenge signed by `signer` (the card itself by default). */
async function sale(
  pharmacy: Pharmacy,
  card: TestCard,
  options: { key?: string; signer?: TestCard } = {},
): Promise<SellAtPharmacyInput> {
  const presence = await cardPresence(t.deps.vault, options.signer ?? card, t.deps.clock.now());
  const body = { cardNo: card.cardNo, ...presence, item: 'adult' as const };
  return {
    pharmacyCode: pharmacy.code,
    ...body,
    idempotencyKey: options.key,
    fingerprint: fingerprintOf('POST', 'sales', body),
  };
}

/** What the API would answer: status, error code (if any), replayed. */
function answer(a: SaleAnswer | undefined) {
  if (a === undefined) return undefined;
  if (a.kind === 'error') return { status: a.error.status, code: a.error.code, replayed: false };
  const body = a.outcome.body as { error?: { code: string } };
  return { status: a.outcome.status, code: body.error?.code, replayed: a.outcome.replayed };
}

const purchasesOf = async (card: TestCard) =>
  (
    await t.sql<{ n: number }[]>`select count(*)::int as n from purchases where person_id = ${card.personId}`
  )[0]?.n;

const challengeUsed = async (input: SellAtPharmacyInput) =>
  (await t.sql`select 1 from challenges where id = ${input.challengeId}`).length === 1;

const adultStock = async (pharmacy: Pharmacy) =>
  (
    await t.sql<
      { adult: number }[]
    >`select adult_stock as adult from pharmacies where code = ${pharmacy.code}`
  )[0]?.adult;

describe('sellBatch', () => {
  it('answers each sale of one batch on its own: a replay, a reused key, a card not present, one over the limit, a sale', async () => {
    const pharmacy = await stocked(100);
    const [buyer, other, absent, fresh] = (await cards(4)) as [TestCard, TestCard, TestCard, TestCard];
    const first = await sale(pharmacy, buyer, { key: 'k-first' });
    const [sold] = await sellBatch([first], t.deps);
    expect(answer(sold)).toEqual({ status: 201, code: undefined, replayed: false });

    const reused = await sale(pharmacy, other, { key: 'k-first' });
    const notPresent = await sale(pharmacy, absent, { signer: other });
    const overLimit = await sale(pharmacy, buyer);
    const ok = await sale(pharmacy, fresh, { key: 'k-fresh' });
    const answers = await sellBatch([first, reused, notPresent, overLimit, ok], t.deps);

    expect(answers.map(answer)).toEqual([
      { status: 201, code: undefined, replayed: true },
      { status: 409, code: 'IDEMPOTENCY_KEY_REUSED', replayed: false },
      { status: 422, code: 'CARD_NOT_PRESENT', replayed: false },
      { status: 409, code: 'NOT_YET_ELIGIBLE', replayed: false },
      { status: 201, code: undefined, replayed: false },
    ]);
    // The replay is the first answer, body and all.
    expect(answers[0]?.kind === 'done' && answers[0].outcome).toEqual(
      sold?.kind === 'done' && { ...sold.outcome, replayed: true },
    );
    expect([await purchasesOf(buyer), await purchasesOf(other), await purchasesOf(absent)]).toEqual([
      1, 0, 0,
    ]);
    expect(await purchasesOf(fresh)).toBe(1);
    expect(await adultStock(pharmacy)).toBe(100 - 2 * pack);
    // Refused before the card proved present: the challenge is still unused; after it: used up.
    expect(await challengeUsed(notPresent)).toBe(false);
    expect(await challengeUsed(reused)).toBe(false);
    expect(await challengeUsed(overLimit)).toBe(true);
    // The key someone tried to reuse still answers its first request.
    const [replay] = await sellBatch([first], t.deps);
    expect(answer(replay)).toEqual({ status: 201, code: undefined, replayed: true });
  });

  it('a key twice in one batch sells once and answers the second with the first answer', async () => {
    const pharmacy = await stocked(100);
    const [buyer] = (await cards(1)) as [TestCard];
    const input = await sale(pharmacy, buyer, { key: 'k-twice' });
    const answers = await sellBatch([input, input], t.deps);
    expect(answers.map(answer)).toEqual([
      { status: 201, code: undefined, replayed: false },
      { status: 201, code: undefined, replayed: true },
    ]);
    expect(await purchasesOf(buyer)).toBe(1);
  });

  it('one challenge for two sales in one batch: the first uses it, the second is CARD_NOT_PRESENT', async () => {
    const [a, b] = [await stocked(100), await stocked(100)];
    const [buyer] = (await cards(1)) as [TestCard];
    const atA = await sale(a, buyer);
    const atB = { ...atA, pharmacyCode: b.code };
    const answers = await sellBatch([atA, atB], t.deps);
    expect(answers.map(answer)).toEqual([
      { status: 201, code: undefined, replayed: false },
      { status: 422, code: 'CARD_NOT_PRESENT', replayed: false },
    ]);
    expect([await adultStock(a), await adultStock(b)]).toEqual([100 - pack, 100]);
  });

  it('the last pack goes to the first buyer of the batch; the next is OUT_OF_STOCK, never below zero', async () => {
    const pharmacy = await stocked(pack);
    const [x, y] = (await cards(2)) as [TestCard, TestCard];
    const answers = await sellBatch([await sale(pharmacy, x), await sale(pharmacy, y)], t.deps);
    expect(answers.map((a) => answer(a)?.code)).toEqual([undefined, 'OUT_OF_STOCK']);
    expect(await adultStock(pharmacy)).toBe(0);
  });

  it('two batches at once selling to the same people at two pharmacies: exactly one sale each wins', async () => {
    const [a, b] = [await stocked(100), await stocked(100)];
    const buyers = await cards(5);
    const [atA, atB] = await Promise.all([
      Promise.all(buyers.map((c) => sale(a, c))),
      Promise.all(buyers.map((c) => sale(b, c))),
    ]);
    const [fromA, fromB] = await Promise.all([sellBatch(atA, t.deps), sellBatch(atB, t.deps)]);
    buyers.forEach((_, i) => {
      const pair = [answer(fromA[i]), answer(fromB[i])];
      expect(pair.map((p) => p?.status).sort()).toEqual([201, 409]);
      expect(pair.find((p) => p?.status === 409)?.code).toBe('NOT_YET_ELIGIBLE');
    });
    for (const c of buyers) expect(await purchasesOf(c)).toBe(1);
    expect(((await adultStock(a)) ?? 0) + ((await adultStock(b)) ?? 0)).toBe(200 - 5 * pack);
  });
});
