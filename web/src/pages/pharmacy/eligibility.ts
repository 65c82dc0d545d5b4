/** The shapes of the pharmacy's eligibility check and sale (docs/PHARMACY.md). */

/** The two packs a pharmacy sells. */
export type Item = 'adult' | 'child';
export const ITEMS: readonly Item[] = ['adult', 'child'];

/** The answer of `POST /api/v1/pharmacies/{code}/sales`, with the item sold. */
export interface Sale {
  saleId: number;
  amount: number;
  nextEligibleOn: string;
  item?: Item;
  masks?: number;
}

/** One refusal, exactly the error object a sale would answer: code, message, details. */
export interface Reason {
  code: string;
  message: string;
  nextEligibleOn?: string;
  allowedWeekdays?: number[];
  item?: Item;
  remaining?: number;
  [detail: string]: unknown;
}

/** `POST /api/v1/pharmacies/{code}/eligibility` (docs/PHARMACY.md). */
export interface Eligibility {
  mayBuy: boolean;
  items: Record<Item, { allowed: boolean; reason?: Reason }>;
  nextEligibleOn: string | null;
  allowedWeekdays: number[];
  todayWeekday: number;
  today: string;
  buyer: { nameMasked: string; age: number };
  reasons: Reason[];
}
