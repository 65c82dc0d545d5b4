import type { Channel } from '../platform/auth.js';
import type { Db } from '../platform/db.js';
import { storeRef } from '../stores/stores.repo.js';
import type { StoredOrderState } from './order-status.js';

export interface UpsertOrderInput {
  roundId: number;
  personId: number;
  storeId: number;
  phone: string;
  email: string;
  channel: Channel;
  /** Used only when the programme_settings row is missing. */
  defaultAmount: number;
  now: Date;
}

export interface UpsertOrderResult {
  /** null: no such round. */
  roundOpen: boolean | null;
  registrationOpensAt: Date | null;
  registrationClosesAt: Date | null;
  /** null: no such store. */
  storeOpen: boolean | null;
  /** null: nothing was written. */
  id: number | null;
  state: StoredOrderState | null;
  amount: number | null;
}

/**
 * The ordering hot path in ONE statement (one round trip, one commit): checks the registration
 * window and the store, and inserts or replaces the person's order for the round.
 *
 * - The round row is read FOR KEY SHARE. The draw holds it FOR UPDATE and sets `drawn_at`, so an
 *   order that waits on that lock re-reads the row and is refused: nothing lands after the draw.
 * - `on conflict (round_id, person_id) do update`: the last submission stands and keeps its order
 *   id (SPEC §5, [ORD 1.2, 12]); two submissions at once leave one order.
 * - The amount mirrors `onlineOrderAmount(programme)` of src/rules/programme.ts on the
 *   programme_settings row (adult pack + logistics fee, NT$22 by default; child cards too [ORD 1]).
 */
export async function upsertOrder(db: Db, o: UpsertOrderInput): Promise<UpsertOrderResult> {
  const rows = await db<UpsertOrderResult[]>`
    with r as (
      select registration_opens_at, registration_closes_at,
             drawn_at is null and registration_opens_at <= ${o.now} and ${o.now} < registration_closes_at as open
      from rounds where id = ${o.roundId}
      for key share
    ), s as (
      select closed_at is null as open from stores where id = ${o.storeId}
    ), up as (
      insert into orders (round_id, person_id, store_id, phone, email, channel, amount, submitted_at, updated_at)
      select ${o.roundId}, ${o.personId}, ${o.storeId}, ${o.phone}, ${o.email}, ${o.channel},
             coalesce((select adult_pack_size * unit_price + online_fee from programme_settings where id = 1),
                      ${o.defaultAmount}),
             ${o.now}, ${o.now}
      where (select open from r) and (select open from s)
      on conflict (round_id, person_id) do update
        set store_id = excluded.store_id, phone = excluded.phone, email = excluded.email,
            channel = excluded.channel, amount = excluded.amount,
            submitted_at = excluded.submitted_at, updated_at = excluded.updated_at
        where orders.state = 'registered'
      returning id, state, amount
    )
    select (select open from r) as "roundOpen",
           (select registration_opens_at from r) as "registrationOpensAt",
           (select registration_closes_at from r) as "registrationClosesAt",
           (select open from s) as "storeOpen",
           up.id, up.state, up.amount
    from (values (1)) as one (x) left join up on true`;
  const row = rows[0];
  if (!row) throw new Error('order upsert returned no row');
  return row;
}

/** An order with what a person sees of its round and store. */
export interface OrderDetailRow {
  id: number;
  roundId: number;
  roundName: string;
  state: StoredOrderState;
  amount: number;
  virtualAccount: string | null;
  pickupSerial: string | null;
  paymentOpensAt: Date;
  paymentClosesAt: Date;
  pickupStartsOn: string;
  pickupEndsOn: string;
  roundDrawn: boolean;
  storeId: number;
  storeChain: string;
  storeNo: string;
  storeName: string;
  storeAddress: string;
}

const detailColumns = (db: Db) => db`
  o.id, o.round_id as "roundId", r.name as "roundName", o.state, o.amount,
  o.virtual_account as "virtualAccount", o.pickup_serial as "pickupSerial",
  r.payment_opens_at as "paymentOpensAt", r.payment_closes_at as "paymentClosesAt",
  to_char(r.pickup_starts_on, 'YYYY-MM-DD') as "pickupStartsOn",
  to_char(r.pickup_ends_on, 'YYYY-MM-DD') as "pickupEndsOn",
  r.drawn_at is not null as "roundDrawn",
  s.id as "storeId", s.chain as "storeChain", s.store_no as "storeNo", s.name as "storeName",
  s.address as "storeAddress"`;

/** Every order of a person, oldest round first. */
export async function ordersOfPerson(db: Db, personId: number): Promise<OrderDetailRow[]> {
  return db<OrderDetailRow[]>`
    select ${detailColumns(db)}
    from orders o join rounds r on r.id = o.round_id join stores s on s.id = o.store_id
    where o.person_id = ${personId}
    order by r.registration_opens_at, o.id`;
}

/**
 * The orders of the person with this national ID whose mobile number ends in `phoneLast3`
 * (the public order query of [ORD 14.1]); empty for a wrong pair.
 */
export async function ordersByIdentity(
  db: Db,
  nationalId: string,
  phoneLast3: string,
): Promise<OrderDetailRow[]> {
  return db<OrderDetailRow[]>`
    select ${detailColumns(db)}
    from persons p join orders o on o.person_id = p.id
      join rounds r on r.id = o.round_id join stores s on s.id = o.store_id
    where p.national_id = ${nationalId} and right(o.phone, 3) = ${phoneLast3}
    order by r.registration_opens_at, o.id`;
}

export function storeOfOrder(row: OrderDetailRow) {
  return storeRef({
    id: row.storeId,
    chain: row.storeChain,
    store_no: row.storeNo,
    name: row.storeName,
    address: row.storeAddress,
  });
}
