import type { Db } from '../platform/db.js';

export interface StatsRound {
  id: number;
  name: string;
  registrationOpensAt: Date;
  registrationClosesAt: Date;
}

/** The round asked for, or the latest one whose registration has opened (else the first upcoming). */
export async function statsRound(
  db: Db,
  roundId: number | undefined,
  now: Date,
): Promise<StatsRound | undefined> {
  const rows = await db<StatsRound[]>`
    select id, name, registration_opens_at as "registrationOpensAt", registration_closes_at as "registrationClosesAt"
    from rounds
    where ${roundId ?? null}::bigint is null or id = ${roundId ?? null}
    order by (registration_opens_at <= ${now}) desc,
             case when registration_opens_at <= ${now} then registration_opens_at end desc nulls last,
             registration_opens_at, id
    limit 1`;
  return rows[0];
}

/**
 * Orders of a round per hour of submission, every hour of the registration window up to and
 * including the hour going on now (zeros included). Hours are whole in Asia/Taipei too (UTC+8, no DST).
 */
export async function ordersPerHour(
  db: Db,
  round: StatsRound,
  now: Date,
): Promise<{ hour: Date; orders: number }[]> {
  return db<{ hour: Date; orders: number }[]>`
    with hours as (
      select generate_series(
        date_trunc('hour', ${round.registrationOpensAt}::timestamptz),
        -- up to the hour going on now (an order at the very opening instant counts), or the last
        -- hour before registration closed
        date_trunc('hour', least(${round.registrationClosesAt}::timestamptz - interval '1 microsecond', ${now}::timestamptz)),
        interval '1 hour') as hour
    ),
    counted as (
      select date_trunc('hour', submitted_at) as hour, count(*)::int as orders
      from orders where round_id = ${round.id}
      group by 1
    )
    select h.hour, coalesce(c.orders, 0)::int as orders
    from hours h left join counted c using (hour)
    order by h.hour`;
}

export interface Funnel {
  orders: number;
  selected: number;
  paid: number;
  collected: number;
}

/**
 * Draw → payment → pickup: selected orders are the draw's winners (`draw_winners`), paid
 * ones (collected included) have a payment row (`order_payments`): as `emask_order_state` derives
 * them (migrations/functions/order-state.sql, docs/ARCHITECTURE.md#order-lifecycle).
 */
export async function funnel(db: Db, roundId: number): Promise<Funnel> {
  const rows = await db<Funnel[]>`
    select count(*)::int as orders,
           count(*) filter (where w.order_id is not null
                              or o.state in ('awaiting_payment', 'collected'))::int as selected,
           count(op.order_id)::int as paid,
           count(*) filter (where o.state = 'collected')::int as collected
    from orders o left join draw_winners w on w.round_id = o.round_id and w.order_id = o.id
      left join order_payments op on op.order_id = o.id
    where o.round_id = ${roundId}`;
  return rows[0] ?? { orders: 0, selected: 0, paid: 0, collected: 0 };
}

export interface DayByChannel {
  date: string;
  pharmacy: number;
  online: number;
  airport: number;
}

/**
 * Purchases per channel for the `days` Taipei days ending with `today`: pharmacy and airport
 * sales from `purchases`, online as eMask orders collected that day.
 */
export async function purchasesPerDay(db: Db, today: string, days: number): Promise<DayByChannel[]> {
  return db<DayByChannel[]>`
    with days as (
      select d::date as day
      from generate_series(${today}::date - (${days}::int - 1), ${today}::date, interval '1 day') as d
    ),
    spot as (
      select purchased_on as day,
             count(*) filter (where channel = 'pharmacy')::int as pharmacy,
             count(*) filter (where channel = 'airport')::int as airport
      from purchases
      where purchased_on between ${today}::date - (${days}::int - 1) and ${today}::date
      group by 1
    ),
    online as (
      select (collected_at at time zone 'Asia/Taipei')::date as day, count(*)::int as online
      from orders
      where state = 'collected'
        and collected_at >= ((${today}::date - (${days}::int - 1))::timestamp at time zone 'Asia/Taipei')
      group by 1
    )
    select to_char(d.day, 'YYYY-MM-DD') as date,
           coalesce(s.pharmacy, 0)::int as pharmacy,
           coalesce(o.online, 0)::int as online,
           coalesce(s.airport, 0)::int as airport
    from days d left join spot s using (day) left join online o using (day)
    order by d.day`;
}

export interface CityStock {
  city: string;
  pharmacies: number;
  adult: number;
  child: number;
}

/** Pharmacy stock summed per city (masks), largest adult stock first. */
export async function stockByCity(db: Db): Promise<CityStock[]> {
  return db<CityStock[]>`
    select coalesce(city, '—') as city, count(*)::int as pharmacies,
           coalesce(sum(adult_stock), 0)::int as adult, coalesce(sum(child_stock), 0)::int as child
    from pharmacies
    group by 1
    order by adult desc, city`;
}
