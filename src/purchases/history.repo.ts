import type { Db } from '../platform/db.js';
import type { History } from '../rules/interval.js';

/**
 * A person's purchase history for the interval rule (SPEC §3, §5): on-the-spot purchase days
 * (pharmacy, airport) and paid or collected eMask orders with their round's first pickup day.
 * Call it AFTER `lockPerson` in a transaction that may add to the history, so two channels
 * selling to one person at once see each other's purchase.
 */
export async function loadHistory(db: Db, personId: number): Promise<History> {
  const [onSpot, paidOrders] = await Promise.all([
    db<{ day: string }[]>`
      select to_char(purchased_on, 'YYYY-MM-DD') as day from purchases
      where person_id = ${personId}
      order by purchased_on`,
    db<{ orderId: number; pickupStartsOn: string }[]>`
      select o.id as "orderId", to_char(r.pickup_starts_on, 'YYYY-MM-DD') as "pickupStartsOn"
      from orders o join order_payments op on op.order_id = o.id join rounds r on r.id = o.round_id
      where o.person_id = ${personId}
      order by r.pickup_starts_on, o.id`,
  ]);
  return { onSpot: onSpot.map((r) => r.day), paidOrders: [...paidOrders] };
}

/** On-the-spot purchases of a traveller known only by passport number (SPEC §6). */
export async function loadPassportHistory(db: Db, passportNo: string): Promise<History> {
  const rows = await db<{ day: string }[]>`
    select to_char(purchased_on, 'YYYY-MM-DD') as day from purchases
    where passport_no = ${passportNo} and person_id is null
    order by purchased_on`;
  return { onSpot: rows.map((r) => r.day), paidOrders: [] };
}

/**
 * Serialises every write that changes a person's purchase history (pharmacy sale, airport
 * sale, order payment, pickup): `select … for update` on the person row, taken BEFORE
 * `loadHistory`, in the transaction that writes the change. Returns false for an unknown person.
 */
export async function lockPerson(db: Db, personId: number): Promise<boolean> {
  const rows = await db`select id from persons where id = ${personId} for update`;
  return rows.length > 0;
}

/** The same serialisation for a traveller known only by passport (no person row to lock). */
export async function lockPassport(db: Db, passportNo: string): Promise<void> {
  await db`select pg_advisory_xact_lock(727274020, hashtext(${passportNo}))`;
}
