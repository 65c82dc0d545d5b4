import { noteStockChanged } from '../opendata/stock-signal.js';
import { writeAudit } from '../platform/audit.js';
import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { type Outcome, refusalsAsOutcome, withIdempotency } from '../platform/idempotency.js';
import { loadHistory, lockPerson } from '../purchases/history.repo.js';
import { loadProgramme } from '../purchases/programme.repo.js';
import { insertPurchase } from '../purchases/purchases.repo.js';
import { nextEligibleOn } from '../rules/interval.js';
import { type Item, packPrice, packSize } from '../rules/programme.js';
import { taipeiDay } from '../rules/taipei-date.js';
import { assessSale, refusalError } from './assess-sale.js';
import { lockStock, takeStock } from './pharmacies.repo.js';
import { type CardPresence, presentCard } from './present-card.js';

export interface SellAtPharmacyInput extends CardPresence {
  pharmacyCode: string;
  item: Item;
  idempotencyKey: string | undefined;
  /** Fingerprint of the request, for the idempotency record. */
  fingerprint: string;
}

export interface SaleBody {
  saleId: number;
  amount: number;
  nextEligibleOn: string;
  item: Item;
  masks: number;
}

/**
 * A pharmacy sale (SPEC §3, §4). Checks, in the order a pharmacist needs them:
 *
 * 1. the card is known and valid                       → 404 UNKNOWN_CARD
 * 2. the card is present: it signed a fresh challenge  → 422 CARD_NOT_PRESENT
 *    (nothing about the person is revealed before this; from here on the challenge is used up
 *    even when the sale is refused)
 * 3–6. `assessSale` (assess-sale.ts), the function the eligibility check calls too:
 *    weekday → 409 WRONG_DAY_FOR_ID, child age → 422 CHILD_ITEM_NOT_ALLOWED,
 *    interval → 409 NOT_YET_ELIGIBLE, stock → 409 OUT_OF_STOCK; its first refusal is the answer.
 *
 * The facts are read under locks, in ONE transaction: the person row is locked before the
 * history is read (so N pharmacies selling to one card at once sell exactly once) and the
 * pharmacy row before its stock is read (so the stock assessed is the stock decremented; the
 * decrement is conditional besides, never below zero). Then the purchase, the audit row and the
 * idempotency record are written. Refusals after step 2 roll back to a savepoint (releasing the
 * locks) and are recorded against the Idempotency-Key.
 */
export async function sellAtPharmacy(
  input: SellAtPharmacyInput,
  deps: Deps,
): Promise<Outcome<SaleBody | unknown> & { replayed: boolean }> {
  const now = deps.clock.now();
  const day = taipeiDay(now);
  const outcome = await withIdempotency(
    deps,
    { scope: `pharmacy:${input.pharmacyCode}`, key: input.idempotencyKey, fingerprint: input.fingerprint },
    async (tx) => {
      const card = await presentCard(tx, input, now);

      return refusalsAsOutcome<SaleBody>(tx, async (sp) => {
        const programme = await loadProgramme(sp);
        await lockPerson(sp, card.personId);
        const [history, stock] = await Promise.all([
          loadHistory(sp, card.personId),
          lockStock(sp, input.pharmacyCode),
        ]);
        if (!stock) throw new AppError('UNKNOWN_PHARMACY', `No pharmacy ${input.pharmacyCode}.`);
        const [refusal] = assessSale({
          idNumber: card.nationalId,
          birthDate: card.birthDate,
          day,
          item: input.item,
          programme,
          history,
          stock,
        });
        if (refusal) throw refusalError(refusal);

        const masks = packSize(input.item, programme);
        const taken = await takeStock(sp, input.pharmacyCode, input.item, masks, now);
        // Unreachable while the row lock holds: the assessment saw at least `masks` left.
        if (!taken) throw new Error(`stock of ${input.pharmacyCode} changed under its row lock`);

        const amount = packPrice(input.item, programme);
        const saleId = await insertPurchase(sp, {
          personId: card.personId,
          passportNo: null,
          channel: 'pharmacy',
          placeRef: input.pharmacyCode,
          placeName: taken.name,
          item: input.item,
          packs: 1,
          masks,
          amount,
          currency: 'TWD',
          at: now,
          day,
        });
        await writeAudit(
          sp,
          {
            actorKind: 'pharmacy',
            actorId: input.pharmacyCode,
            action: 'pharmacy.sale',
            subject: `purchase:${saleId}`,
            details: { personId: card.personId, item: input.item, masks },
          },
          now,
        );
        const after = { ...history, onSpot: [...history.onSpot, day] };
        const next = nextEligibleOn(after, day, programme.periodDays) ?? day;
        return { status: 201, body: { saleId, amount, nextEligibleOn: next, item: input.item, masks } };
      });
    },
  );
  if (outcome.status === 201 && !outcome.replayed) noteStockChanged();
  return outcome;
}
