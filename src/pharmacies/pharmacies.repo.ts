import type { Db } from '../platform/db.js';
import type { Item } from '../rules/programme.js';

export interface StockAfter {
  name: string;
  adult: number;
  child: number;
}

/**
 * Takes `masks` out of a pharmacy's stock of `item` only if that many are left: a conditional
 * update, so concurrent sales can never drive the stock below zero (SPEC §4). Undefined when
 * the stock is short (or the pharmacy unknown).
 */
export async function takeStock(
  db: Db,
  code: string,
  item: Item,
  masks: number,
  now: Date,
): Promise<StockAfter | undefined> {
  const rows =
    item === 'adult'
      ? await db<StockAfter[]>`
          update pharmacies set adult_stock = adult_stock - ${masks}, stock_updated_at = ${now}
          where code = ${code} and adult_stock >= ${masks}
          returning name, adult_stock as adult, child_stock as child`
      : await db<StockAfter[]>`
          update pharmacies set child_stock = child_stock - ${masks}, stock_updated_at = ${now}
          where code = ${code} and child_stock >= ${masks}
          returning name, adult_stock as adult, child_stock as child`;
  return rows[0];
}

export async function stockOf(db: Db, code: string): Promise<StockAfter | undefined> {
  const rows = await db<StockAfter[]>`
    select name, adult_stock as adult, child_stock as child from pharmacies where code = ${code}`;
  return rows[0];
}

export async function setStock(
  db: Db,
  code: string,
  stock: { adult: number; child: number },
  now: Date,
): Promise<{ adult: number; child: number; updatedAt: Date } | undefined> {
  const rows = await db<{ adult: number; child: number; updatedAt: Date }[]>`
    update pharmacies set adult_stock = ${stock.adult}, child_stock = ${stock.child}, stock_updated_at = ${now}
    where code = ${code}
    returning adult_stock as adult, child_stock as child, stock_updated_at as "updatedAt"`;
  return rows[0];
}

/**
 * A sale's read of the stock, locking the pharmacy row until the sale commits: the stock the
 * sale is assessed on is the stock its decrement sees. Taken AFTER `lockPerson` (persons before
 * pharmacies, in every sale), so two sales never wait on each other in opposite orders.
 */
export async function lockStock(db: Db, code: string): Promise<StockAfter | undefined> {
  const rows = await db<StockAfter[]>`
    select name, adult_stock as adult, child_stock as child from pharmacies where code = ${code}
    for update`;
  return rows[0];
}

/** The card holder's name, for the POS's masked greeting (never logged, never audited). */
export async function holderName(db: Db, personId: number): Promise<string | undefined> {
  const rows = await db<{ name: string }[]>`select name from persons where id = ${personId}`;
  return rows[0]?.name;
}
