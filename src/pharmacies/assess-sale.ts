import { AppError, type ErrorDetails, errorBody } from '../platform/errors.js';
import { eligibility, type History } from '../rules/interval.js';
import { type Item, type Programme, packSize } from '../rules/programme.js';
import { ageOn, type Day, isoWeekday } from '../rules/taipei-date.js';
import { allowedWeekdays } from '../rules/weekday.js';

/**
 * Everything a pharmacy sale of one pack is decided on (SPEC §3, §4). Pure data: the sale
 * (sell-at-pharmacy.ts) gathers it under locks, the eligibility check (check-eligibility.ts)
 * as a plain read, and both hand it to `assessSale`, so the check and the sale cannot disagree.
 */
export interface SaleFacts {
  /** National ID, or a foreign resident's certificate number: its last digit decides the weekdays. */
  idNumber: string;
  birthDate: Day;
  /** Today, Asia/Taipei. */
  day: Day;
  item: Item;
  programme: Programme;
  /** The buyer's purchases over every channel (`loadHistory`). */
  history: History;
  /** Masks of each item the pharmacy has left. */
  stock: { adult: number; child: number };
}

/** Why a sale is refused: the error code of API.md and the details a person needs. */
export type SaleRefusal =
  | { code: 'WRONG_DAY_FOR_ID'; allowedWeekdays: number[] }
  | { code: 'CHILD_ITEM_NOT_ALLOWED'; childMaxAge: number }
  | { code: 'NOT_YET_ELIGIBLE'; nextEligibleOn: Day; allowedWeekdays: number[] }
  | { code: 'OUT_OF_STOCK'; item: Item; remaining: number };

export type SaleRefusalCode = SaleRefusal['code'];

/** The check order, for sorting refusals of several items into one list. */
export const CHECK_ORDER: readonly SaleRefusalCode[] = [
  'WRONG_DAY_FOR_ID',
  'CHILD_ITEM_NOT_ALLOWED',
  'NOT_YET_ELIGIBLE',
  'OUT_OF_STOCK',
];

/**
 * Every rule that refuses this sale today, in the order a pharmacist needs them; empty when
 * the sale may go ahead. The FIRST refusal is the sale's answer (and the check's `reason` for
 * the item); the later ones are what the person would meet next.
 *
 * 1. odd/even-ID weekday, Sunday open to all (rules/weekday.ts)   → WRONG_DAY_FOR_ID
 *    (the rule on the pharmacy's door: cheapest, and it needs no history)
 * 2. a child pack only for someone of `childMaxAge` or under on the day
 *                                                                    → CHILD_ITEM_NOT_ALLOWED
 *    (fixable on the spot: sell an adult pack instead)
 * 3. the interval rule over every channel (rules/interval.ts)      → NOT_YET_ELIGIBLE
 * 4. stock, counted in masks                                        → OUT_OF_STOCK
 *    (last, so a person who may not buy is told when they may, not sent to another pharmacy;
 *    not assessed for a child pack the buyer may not have: its stock is then no reason of theirs)
 */
export function assessSale(facts: SaleFacts): SaleRefusal[] {
  const { programme, day, item } = facts;
  const refusals: SaleRefusal[] = [];
  const weekdays = allowedWeekdays(facts.idNumber);
  if (!weekdays.includes(isoWeekday(day))) {
    refusals.push({ code: 'WRONG_DAY_FOR_ID', allowedWeekdays: weekdays });
  }
  const tooOld = item === 'child' && ageOn(facts.birthDate, day) > programme.childMaxAge;
  if (tooOld) refusals.push({ code: 'CHILD_ITEM_NOT_ALLOWED', childMaxAge: programme.childMaxAge });
  const verdict = eligibility(facts.history, day, programme.periodDays);
  if (!verdict.allowed) {
    refusals.push({
      code: 'NOT_YET_ELIGIBLE',
      nextEligibleOn: verdict.nextEligibleOn,
      allowedWeekdays: weekdays,
    });
  }
  const remaining = facts.stock[item];
  if (!tooOld && remaining < packSize(item, programme)) {
    refusals.push({ code: 'OUT_OF_STOCK', item, remaining });
  }
  return refusals;
}

/** The refusal as the sale throws it: code, message and details exactly as API.md states. */
export function refusalError(refusal: SaleRefusal): AppError {
  switch (refusal.code) {
    case 'WRONG_DAY_FOR_ID':
      return new AppError('WRONG_DAY_FOR_ID', 'Today is not a day for this ID number (odd/even rule).', {
        allowedWeekdays: refusal.allowedWeekdays,
      });
    case 'CHILD_ITEM_NOT_ALLOWED':
      return new AppError(
        'CHILD_ITEM_NOT_ALLOWED',
        `Child packs are for people aged ${refusal.childMaxAge} or under; sell an adult pack.`,
        { childMaxAge: refusal.childMaxAge },
      );
    case 'NOT_YET_ELIGIBLE':
      return new AppError(
        'NOT_YET_ELIGIBLE',
        `The next purchase is allowed from ${refusal.nextEligibleOn}.`,
        {
          nextEligibleOn: refusal.nextEligibleOn,
          allowedWeekdays: refusal.allowedWeekdays,
        },
      );
    case 'OUT_OF_STOCK':
      return new AppError('OUT_OF_STOCK', `Not enough ${refusal.item} masks left for a pack.`, {
        item: refusal.item,
        remaining: refusal.remaining,
      });
  }
}

/** A refusal as the sale's error body carries it. */
export type RefusalBody = { code: SaleRefusalCode; message: string } & ErrorDetails;

/** The refusal as the sale's error body carries it (`{code, message, …details}`). */
export function refusalBody(refusal: SaleRefusal): RefusalBody {
  return { ...errorBody(refusalError(refusal)).error, code: refusal.code };
}
