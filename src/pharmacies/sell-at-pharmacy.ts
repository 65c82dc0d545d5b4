import { consumeChallenge, verifyEd25519 } from '../identity/challenges.js';
import { noteStockChanged } from '../opendata/stock-signal.js';
import { writeAudit } from '../platform/audit.js';
import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { type Outcome, refusalsAsOutcome, withIdempotency } from '../platform/idempotency.js';
import { findValidCard } from '../purchases/buyers.repo.js';
import { loadHistory, lockPerson } from '../purchases/history.repo.js';
import { loadProgramme } from '../purchases/programme.repo.js';
import { insertPurchase } from '../purchases/purchases.repo.js';
import { eligibility, nextEligibleOn } from '../rules/interval.js';
import { type Item, packPrice, packSize } from '../rules/programme.js';
import { ageOn, isoWeekday, taipeiDay } from '../rules/taipei-date.js';
import { allowedWeekdays } from '../rules/weekday.js';
import { stockOf, takeStock } from './pharmacies.repo.js';

export interface SellAtPharmacyInput {
  pharmacyCode: string;
  cardNo: string;
  challengeId: string;
  cardSignature: string;
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

const cardNotPresent = () =>
  new AppError(
    'CARD_NOT_PRESENT',
    "The card's signature does not prove it is here: read the card again with a new challenge.",
  );

/**
 * A pharmacy sale (SPEC §3, §4). Checks, in the order a pharmacist needs them:
 *
 * 1. the card is known and valid                       → 404 UNKNOWN_CARD
 * 2. the card is present: it signed a fresh challenge  → 422 CARD_NOT_PRESENT
 *    (nothing about the person is revealed before this; from here on the challenge is used up
 *    even when the sale is refused)
 * 3. today is a day for this ID (odd/even rule)       → 409 WRONG_DAY_FOR_ID + allowedWeekdays
 *    (the rule on the pharmacy's door: cheapest, and it needs no history)
 * 4. a child pack only for someone of childMaxAge or under on the day
 *                                                      → 422 CHILD_ITEM_NOT_ALLOWED
 *    (fixable on the spot: sell an adult pack instead)
 * 5. the interval rule over every channel              → 409 NOT_YET_ELIGIBLE + nextEligibleOn
 * 6. stock                                             → 409 OUT_OF_STOCK
 *    (last, so a person who may not buy is told when they may, not sent to another pharmacy)
 *
 * Then, in ONE transaction: the person row is locked before the history is read (so N
 * pharmacies selling to one card at once sell exactly once), the stock is decremented
 * conditionally (never below zero), and the purchase, the audit row and the idempotency
 * record are written. Refusals after step 2 are recorded against the Idempotency-Key.
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
      const card = await findValidCard(tx, input.cardNo);
      if (!card) throw new AppError('UNKNOWN_CARD', 'This card is not known or is no longer valid.');
      const nonce = await consumeChallenge(tx, input.challengeId, now, cardNotPresent);
      if (!verifyEd25519(card.publicKeyPem, nonce, input.cardSignature)) throw cardNotPresent();

      return refusalsAsOutcome<SaleBody>(tx, async (sp) => {
        const programme = await loadProgramme(sp);
        const weekdays = allowedWeekdays(card.nationalId);
        if (!weekdays.includes(isoWeekday(day))) {
          throw new AppError('WRONG_DAY_FOR_ID', 'Today is not a day for this ID number (odd/even rule).', {
            allowedWeekdays: weekdays,
          });
        }
        if (input.item === 'child' && ageOn(card.birthDate, day) > programme.childMaxAge) {
          throw new AppError(
            'CHILD_ITEM_NOT_ALLOWED',
            `Child packs are for people aged ${programme.childMaxAge} or under; sell an adult pack.`,
            { childMaxAge: programme.childMaxAge },
          );
        }

        await lockPerson(sp, card.personId);
        const history = await loadHistory(sp, card.personId);
        const verdict = eligibility(history, day, programme.periodDays);
        if (!verdict.allowed) {
          throw new AppError(
            'NOT_YET_ELIGIBLE',
            `The next purchase is allowed from ${verdict.nextEligibleOn}.`,
            {
              nextEligibleOn: verdict.nextEligibleOn,
              allowedWeekdays: weekdays,
            },
          );
        }

        const masks = packSize(input.item, programme);
        const stock = await takeStock(sp, input.pharmacyCode, input.item, masks, now);
        if (!stock) {
          const current = await stockOf(sp, input.pharmacyCode);
          if (!current) throw new AppError('UNKNOWN_PHARMACY', `No pharmacy ${input.pharmacyCode}.`);
          throw new AppError('OUT_OF_STOCK', `Not enough ${input.item} masks left for a pack.`, {
            item: input.item,
            remaining: input.item === 'adult' ? current.adult : current.child,
          });
        }

        const amount = packPrice(input.item, programme);
        const saleId = await insertPurchase(sp, {
          personId: card.personId,
          passportNo: null,
          channel: 'pharmacy',
          placeRef: input.pharmacyCode,
          placeName: stock.name,
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
