/**
 * Programme settings (SPEC §3): the same platform can run a 14-day period or ration another
 * item. Defaults are those of mask rationing 2.0 in March 2020.
 */
export interface Programme {
  /** Days between purchases: after a purchase on day D the next is allowed from D + periodDays. */
  periodDays: number;
  /** Items per pack. */
  adultPackSize: number;
  childPackSize: number;
  /** NT$ per item. */
  unitPrice: number;
  /** Age on the day of purchase up to and including which a child pack may be bought. */
  childMaxAge: number;
  /** NT$ per online order on top of the pack (logistics). */
  onlineFee: number;
  /** Airport arrivals: price of one set. */
  airportPriceTwd: number;
  airportPriceUsd: number;
}

export const DEFAULT_PROGRAMME: Programme = {
  periodDays: 7,
  adultPackSize: 3,
  childPackSize: 5,
  unitPrice: 5,
  childMaxAge: 16,
  onlineFee: 7,
  airportPriceTwd: 50,
  airportPriceUsd: 2,
};

export type Item = 'adult' | 'child';

export function packSize(item: Item, p: Programme = DEFAULT_PROGRAMME): number {
  return item === 'adult' ? p.adultPackSize : p.childPackSize;
}

/** Price of one pack at a pharmacy: adult 3 × NT$5 = 15, child 5 × NT$5 = 25 (SPEC §3). */
export function packPrice(item: Item, p: Programme = DEFAULT_PROGRAMME): number {
  return packSize(item, p) * p.unitPrice;
}

/** An online order: one adult pack plus the logistics fee, NT$22 by default (SPEC §5, [ORD 1]). */
export function onlineOrderAmount(p: Programme = DEFAULT_PROGRAMME): number {
  return packPrice('adult', p) + p.onlineFee;
}
