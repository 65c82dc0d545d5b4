import type { Db } from '../platform/db.js';
import type { Item } from '../rules/programme.js';

export interface NewPurchase {
  personId: number | null;
  passportNo: string | null;
  channel: 'pharmacy' | 'airport';
  /** Pharmacy code or `counter:<id>`. */
  placeRef: string;
  placeName: string;
  item: Item;
  packs: number;
  masks: number;
  amount: number;
  currency: 'TWD' | 'USD';
  at: Date;
  /** The Taipei day the purchase counts on. */
  day: string;
}

export async function insertPurchase(db: Db, p: NewPurchase): Promise<number> {
  const [row] = await db<{ id: number }[]>`
    insert into purchases (person_id, passport_no, channel, place_ref, place_name, item, packs, masks,
                           amount, currency, purchased_at, purchased_on)
    values (${p.personId}, ${p.passportNo}, ${p.channel}, ${p.placeRef}, ${p.placeName}, ${p.item},
            ${p.packs}, ${p.masks}, ${p.amount}, ${p.currency}, ${p.at}, ${p.day})
    returning id`;
  if (!row) throw new Error('purchase insert returned nothing');
  return row.id;
}

export interface OnSpotRecordRow {
  day: string;
  channel: 'pharmacy' | 'airport';
  place: string;
  item: Item;
  masks: number;
  at: Date;
}

/** A person's on-the-spot purchases, newest first. */
export async function onSpotPurchasesOf(db: Db, personId: number): Promise<OnSpotRecordRow[]> {
  return db<OnSpotRecordRow[]>`
    select to_char(purchased_on, 'YYYY-MM-DD') as day, channel, place_name as place, item, masks,
           purchased_at as at
    from purchases where person_id = ${personId}
    order by purchased_on desc, purchased_at desc, id desc`;
}

export interface PaidOrderRecordRow {
  orderId: number;
  store: string;
}

/** Paid or collected eMask orders of a person with the (current) pickup store's name. */
export async function paidOrderStoresOf(db: Db, personId: number): Promise<PaidOrderRecordRow[]> {
  return db<PaidOrderRecordRow[]>`
    select o.id as "orderId", s.name as store
    from orders o join order_payments op on op.order_id = o.id join stores s on s.id = o.store_id
    where o.person_id = ${personId}`;
}
