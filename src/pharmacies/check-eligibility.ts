import { maskName } from '../pickup/pickup-rules.js';
import { writeAudit } from '../platform/audit.js';
import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { loadHistory } from '../purchases/history.repo.js';
import { loadProgramme } from '../purchases/programme.repo.js';
import type { Item } from '../rules/programme.js';
import { ageOn, type Day, isoWeekday, taipeiDay } from '../rules/taipei-date.js';
import { allowedWeekdays } from '../rules/weekday.js';
import { assessSale, CHECK_ORDER, type RefusalBody, refusalBody, type SaleRefusal } from './assess-sale.js';
import { holderName, stockOf } from './pharmacies.repo.js';
import { type CardPresence, presentCard } from './present-card.js';

export interface CheckEligibilityInput extends CardPresence {
  pharmacyCode: string;
}

type Reason = RefusalBody;

export interface ItemVerdict {
  allowed: boolean;
  /** What a sale of this item would answer now (`{code, message, …details}` of its error). */
  reason?: Reason;
}

export interface EligibilityBody {
  mayBuy: boolean;
  items: Record<Item, ItemVerdict>;
  /** The first day the interval rule allows, when it refuses today; null when it allows today. */
  nextEligibleOn: Day | null;
  allowedWeekdays: number[];
  todayWeekday: number;
  today: Day;
  buyer: { nameMasked: string; age: number };
  /** Every rule that refuses a pack today, in check order, each once. */
  reasons: Reason[];
}

const ITEMS: readonly Item[] = ['adult', 'child'];

/**
 * The pharmacy POS asks, before selling, whether the holder of the card in its reader may buy
 * today and why not (SPEC §4; docs/PHARMACY.md). The card proves presence exactly as for a sale
 * (`presentCard`: a fresh challenge, used up here), so nobody can read a person's standing
 * without their card. Each pack is assessed by `assessSale`, the function the sale decides by,
 * on the same facts read without locks: what the check says is what a sale would answer at the
 * same moment. Writes nothing but the used-up challenge and an audit row without personal data.
 */
export async function checkEligibility(input: CheckEligibilityInput, deps: Deps): Promise<EligibilityBody> {
  const now = deps.clock.now();
  const day = taipeiDay(now);
  return deps.sql.begin(async (tx) => {
    const card = await presentCard(tx, deps.vault, input, now);
    const [programme, history, stock, name] = await Promise.all([
      loadProgramme(tx),
      loadHistory(tx, card.personId),
      stockOf(tx, input.pharmacyCode),
      holderName(tx, deps.vault, card.personId),
    ]);
    if (!stock) throw new AppError('UNKNOWN_PHARMACY', `No pharmacy ${input.pharmacyCode}.`);

    const refusals: SaleRefusal[] = [];
    const items = {} as Record<Item, ItemVerdict>;
    for (const item of ITEMS) {
      const found = assessSale({
        idNumber: card.nationalIdMasked,
        birthDate: card.birthDate,
        day,
        item,
        programme,
        history,
        stock,
      });
      const [first] = found;
      items[item] = first ? { allowed: false, reason: refusalBody(first) } : { allowed: true };
      refusals.push(...found);
    }
    const reasons = distinct(refusals)
      .sort((a, b) => CHECK_ORDER.indexOf(a.code) - CHECK_ORDER.indexOf(b.code))
      .map(refusalBody);
    const tooEarly = refusals.find((r) => r.code === 'NOT_YET_ELIGIBLE');
    const mayBuy = items.adult.allowed || items.child.allowed;

    await writeAudit(
      tx,
      {
        actorKind: 'pharmacy',
        actorId: input.pharmacyCode,
        action: 'pharmacy.eligibility_check',
        subject: `pharmacy:${input.pharmacyCode}`,
        details: {
          mayBuy,
          adult: items.adult.reason?.code ?? null,
          child: items.child.reason?.code ?? null,
        },
      },
      now,
    );

    return {
      mayBuy,
      items,
      nextEligibleOn: tooEarly?.code === 'NOT_YET_ELIGIBLE' ? tooEarly.nextEligibleOn : null,
      allowedWeekdays: allowedWeekdays(card.nationalIdMasked),
      todayWeekday: isoWeekday(day),
      today: day,
      buyer: { nameMasked: maskName(name ?? ''), age: ageOn(card.birthDate, day) },
      reasons,
    };
  });
}

/** Refusals met by both packs (the weekday, the interval) count once. */
function distinct(refusals: SaleRefusal[]): SaleRefusal[] {
  const seen = new Set<string>();
  return refusals.filter((r) => {
    const key = JSON.stringify(r);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
