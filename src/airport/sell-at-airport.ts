import { writeAudit } from '../platform/audit.js';
import type { Db } from '../platform/db.js';
import type { Deps } from '../platform/deps.js';
import { AppError, type ErrorBody } from '../platform/errors.js';
import { type Outcome, refusalsAsOutcome, withIdempotency } from '../platform/idempotency.js';
import type { Vault } from '../platform/vault.js';
import { findPersonByArc, findValidCard } from '../purchases/buyers.repo.js';
import { loadHistory, loadPassportHistory, lockPassport, lockPerson } from '../purchases/history.repo.js';
import { loadProgramme } from '../purchases/programme.repo.js';
import { insertPurchase } from '../purchases/purchases.repo.js';
import { idKind, isArcNumber } from '../rules/ids.js';
import { eligibility, nextEligibleOn } from '../rules/interval.js';
import { type Item, packSize } from '../rules/programme.js';
import { taipeiDay } from '../rules/taipei-date.js';

export type TravelDocument = { type: 'nhi_card' | 'arc' | 'passport'; number: string };

export interface SellAtAirportInput {
  counterId: number;
  document: TravelDocument;
  item: Item;
  currency: 'TWD' | 'USD';
  idempotencyKey: string | undefined;
  fingerprint: string;
}

export interface AirportSaleBody {
  saleId: number;
  price: number;
  currency: 'TWD' | 'USD';
  nextEligibleOn: string;
  item: Item;
  masks: number;
}

/**
 * `passportNo` is the keyed blind index of the passport (or unrecorded resident certificate)
 * number, never the number itself: it is all the interval rule needs (docs/SECURITY.md).
 */
type Buyer = { personId: number; passportNo: null } | { personId: null; passportNo: string };

/** Passport numbers are compared without case, spaces or hyphens. */
export function normalisePassport(number: string): string {
  return number.toUpperCase().replace(/[\s-]/g, '');
}

/**
 * A "passport" number that is a valid Taiwan national ID or resident certificate (ARC/UI)
 * number, check digit included, is refused (422 NOT_A_PASSPORT): tracked as a passport it would
 * start a purchase record of its own, and a person who bought with their NHI card (or
 * certificate) could buy a second set the same day by typing their ID as a passport. The clerk
 * is told to sell with `nhi_card` (national ID) or `arc`, which reach the person's own record.
 * A genuine passport number does not pass those check digits (Taiwan's are 9 digits; foreign
 * ones rarely have the letter + 1/2/8/9 + 8 digits shape, and then pass the check 1 time in 10).
 */
function refuseIdAsPassport(passportNo: string): void {
  const kind = idKind(passportNo);
  if (!kind) return;
  const presentAs = kind === 'national' ? 'nhi_card' : 'arc';
  throw new AppError(
    'NOT_A_PASSPORT',
    kind === 'national'
      ? 'This is a Taiwan national ID number, not a passport number: sell with the NHI card (document type nhi_card).'
      : 'This is a resident certificate (ARC/UI) number, not a passport number: sell with document type arc.',
    {
      presentAs,
      fields: [{ field: 'body/document/number', problem: `a ${kind} ID number, not a passport` }],
    },
  );
}

async function resolveBuyer(db: Db, vault: Vault, doc: TravelDocument): Promise<Buyer> {
  const number = doc.number.trim();
  if (doc.type === 'nhi_card') {
    if (!/^[0-9]{12}$/.test(number)) {
      throw new AppError('VALIDATION_FAILED', 'An NHI card number has 12 digits.', {
        fields: [{ field: 'body/document/number', problem: 'must be 12 digits' }],
      });
    }
    const card = await findValidCard(db, number);
    if (!card) throw new AppError('UNKNOWN_CARD', 'This card is not known or is no longer valid.');
    return { personId: card.personId, passportNo: null };
  }
  if (doc.type === 'arc') {
    const arc = number.toUpperCase();
    if (!isArcNumber(arc)) {
      throw new AppError('INVALID_NATIONAL_ID', 'The resident certificate number is not valid.', {
        fields: [{ field: 'body/document/number' }],
      });
    }
    const person = await findPersonByArc(db, vault, arc);
    // A resident not (yet) on record is still one person: track the set by the certificate
    // number, as a passport is, rather than refuse a traveller at the counter.
    if (!person) return { personId: null, passportNo: vault.indexHex('passport', `ARC:${arc}`) };
    return { personId: person.personId, passportNo: null };
  }
  const passportNo = normalisePassport(number);
  if (!/^[A-Z0-9]{5,20}$/.test(passportNo)) {
    throw new AppError('VALIDATION_FAILED', 'A passport number has 5–20 letters and digits.', {
      fields: [{ field: 'body/document/number', problem: 'not a passport number' }],
    });
  }
  refuseIdAsPassport(passportNo);
  return { personId: null, passportNo: vault.indexHex('passport', passportNo) };
}

/**
 * Airport arrivals (SPEC §6, [ORD 25]): one set per person per period, NT$50 or US$2, no
 * odd/even rule. Nationals and residents (by NHI card, or by resident certificate number) join
 * the shared purchase record and the interval rule, under the same person lock as every other
 * channel; travellers are tracked by passport number (serialised by an advisory lock on it).
 * Stock at airport counters is not tracked: the duty-free shops keep their own.
 * The age limit of child packs is a pharmacy rule ([ORD 1.1]); arrivals choose either set.
 */
export async function sellAtAirport(
  input: SellAtAirportInput,
  deps: Deps,
): Promise<Outcome<AirportSaleBody | ErrorBody> & { replayed: boolean }> {
  const now = deps.clock.now();
  const day = taipeiDay(now);
  return withIdempotency(
    deps,
    { scope: `airport:${input.counterId}`, key: input.idempotencyKey, fingerprint: input.fingerprint },
    async (tx) => {
      const buyer = await resolveBuyer(tx, deps.vault, input.document);
      return refusalsAsOutcome<AirportSaleBody>(tx, async (sp) => {
        const programme = await loadProgramme(sp);
        let history: Awaited<ReturnType<typeof loadHistory>>;
        if (buyer.personId !== null) {
          await lockPerson(sp, buyer.personId);
          history = await loadHistory(sp, buyer.personId);
        } else {
          await lockPassport(sp, buyer.passportNo);
          history = await loadPassportHistory(sp, buyer.passportNo);
        }
        const verdict = eligibility(history, day, programme.periodDays);
        if (!verdict.allowed) {
          throw new AppError(
            'NOT_YET_ELIGIBLE',
            `One set per person per period: the next is allowed from ${verdict.nextEligibleOn}.`,
            { nextEligibleOn: verdict.nextEligibleOn },
          );
        }
        const [counter] = await sp<{ name: string }[]>`
          select name from airport_counters where id = ${input.counterId}`;
        if (!counter) throw new AppError('UNKNOWN_COUNTER', `No airport counter ${input.counterId}.`);
        const price = input.currency === 'USD' ? programme.airportPriceUsd : programme.airportPriceTwd;
        const masks = packSize(input.item, programme);
        const saleId = await insertPurchase(sp, {
          personId: buyer.personId,
          passportNo: buyer.passportNo,
          channel: 'airport',
          placeRef: `counter:${input.counterId}`,
          placeName: counter.name,
          item: input.item,
          packs: 1,
          masks,
          amount: price,
          currency: input.currency,
          at: now,
          day,
        });
        await writeAudit(
          sp,
          {
            actorKind: 'airport',
            actorId: String(input.counterId),
            action: 'airport.sale',
            subject: `purchase:${saleId}`,
            details: {
              personId: buyer.personId,
              document: input.document.type,
              item: input.item,
              masks,
              currency: input.currency,
            },
          },
          now,
        );
        const after = { ...history, onSpot: [...history.onSpot, day] };
        const next = nextEligibleOn(after, day, programme.periodDays) ?? day;
        return {
          status: 201,
          body: { saleId, price, currency: input.currency, nextEligibleOn: next, item: input.item, masks },
        };
      });
    },
  );
}
