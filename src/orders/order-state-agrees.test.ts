import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/support/app.js';
import { payableOrder, readOrdersForNotices } from '../payments/payments.repo.js';
import { createSql, type Sql } from '../platform/db.js';
import { virtualAccount } from '../rules/virtual-account.js';
import {
  type OrderRecord,
  orderSelected,
  orderState,
  orderStatus,
  type RecordedOrderState,
} from './order-status.js';
import { ordersOfPerson } from './orders.repo.js';

/**
 * The order lifecycle is derived in three places (docs/ARCHITECTURE.md#order-lifecycle):
 *   1. `emask_order_state` / `emask_order_account` (migrations/functions/order-state.sql), called
 *      by the order look-ups (ordersOfPerson) and by paying (payableOrder);
 *   2. the same derivation written out for the bank-notice batch (readOrdersForNotices, with
 *      `orderStateWrittenOut` of orders.repo.ts), where the function costs four times as much;
 *   3. `orderState` / `orderSelected` / `orderStatus` in src/orders/order-status.ts.
 * Random order situations are written as rows and read through each: a change to one of them
 * that is not made to the others fails here (as src/draw/draw.test.ts "SQL and TypeScript agree").
 */
let sql: Sql;
let storeId = 0;
const rounds = { drawn: 0, open: 0 };
let nth = 0;

const windows = {
  registrationOpensAt: new Date('2020-03-12T09:00:00+08:00'),
  registrationClosesAt: new Date('2020-03-18T20:00:00+08:00'),
  paymentOpensAt: new Date('2020-03-19T09:00:00+08:00'),
  paymentClosesAt: new Date('2020-03-25T20:00:00+08:00'),
  pickupStartsOn: '2020-03-26',
  pickupEndsOn: '2020-04-01',
};

beforeAll(async () => {
  sql = createSql(await createTestDatabase(), { max: 2 });
  const round = async (name: string, drawnAt: Date | null) => {
    const [row] = await sql<{ id: number }[]>`
      insert into rounds (name, registration_opens_at, registration_closes_at, payment_opens_at, payment_closes_at,
                          pickup_starts_on, pickup_ends_on, supply_packs, created_at, drawn_at)
      values (${name}, ${windows.registrationOpensAt}, ${windows.registrationClosesAt}, ${windows.paymentOpensAt},
              ${windows.paymentClosesAt}, ${windows.pickupStartsOn}, ${windows.pickupEndsOn}, 10,
              ${windows.registrationOpensAt}, ${drawnAt})
      returning id`;
    return row?.id ?? 0;
  };
  rounds.drawn = await round('drawn', windows.registrationClosesAt);
  rounds.open = await round('in registration', null);
  const [store] = await sql<{ id: number }[]>`
    insert into stores (chain, store_no, name, address, city, district, created_at)
    values ('OK', 'agree', 'store', 'address', '臺北市', '中正區', now()) returning id`;
  storeId = store?.id ?? 0;
});

afterAll(async () => {
  await sql?.end();
});

interface Situation extends OrderRecord {
  roundDrawn: boolean;
}

/**
 * Situations the platform can reach: only the draw writes `draw_winners`, when it sets the round's
 * `drawn_at`; a payment row only for a selected order (a bank notice needs its virtual account, a
 * card payment an order awaiting payment); an account stored on the row, and `not_selected`
 * stored, only on rows the draw wrote before `draw_winners` existed (selected ones for the account).
 */
const situation: fc.Arbitrary<Situation> = fc
  .record({
    stored: fc.constantFrom<RecordedOrderState>(
      'registered',
      'not_selected',
      'awaiting_payment',
      'collected',
    ),
    roundDrawn: fc.boolean(),
    won: fc.boolean(),
    paid: fc.boolean(),
    accountStored: fc.boolean(),
  })
  .map((s) => {
    const roundDrawn = s.roundDrawn || s.stored === 'not_selected';
    const won = s.won && roundDrawn && s.stored !== 'not_selected';
    const selectedStored = s.stored === 'awaiting_payment' || s.stored === 'collected';
    return {
      ...s,
      roundDrawn,
      won,
      paid: s.paid && (won || selectedStored),
      accountStored: s.accountStored && selectedStored,
    };
  });

interface Written {
  orderId: number;
  personId: number;
  roundId: number;
  storedAccount: string | null;
}

/** Writes the situations as rows: persons, orders, winners, payments. */
async function write(situations: readonly Situation[]): Promise<Written[]> {
  const written: Written[] = [];
  for (const s of situations) {
    nth += 1;
    const roundId = s.roundDrawn ? rounds.drawn : rounds.open;
    const [person] = await sql<{ id: number }[]>`
      insert into persons (national_id, name, birth_date, nationality, created_at)
      values (${`agree-${nth}`}, 'x', '1980-01-01', 'TW', now()) returning id`;
    const personId = person?.id ?? 0;
    const storedAccount = s.accountStored ? `stored-${nth}` : null;
    const [order] = await sql<{ id: number }[]>`
      insert into orders (round_id, person_id, store_id, phone, email, channel, amount, state, virtual_account,
                          submitted_at, updated_at)
      values (${roundId}, ${personId}, ${storeId}, 'p', 'e', 'web_card', 22, ${s.stored},
              ${storedAccount}, now(), now())
      returning id`;
    const orderId = order?.id ?? 0;
    if (s.won) await sql`insert into draw_winners (round_id, order_id) values (${roundId}, ${orderId})`;
    if (s.paid) {
      await sql`insert into order_payments (order_id, pickup_serial, method, paid_at)
                values (${orderId}, ${`serial-${orderId}`}, 'atm', now())`;
    }
    written.push({ orderId, personId, roundId, storedAccount });
  }
  return written;
}

describe('the order lifecycle: emask_order_state (SQL), the notice batch and order-status.ts agree', () => {
  it('on the state, the virtual account and the status of random order situations', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(situation, { minLength: 1, maxLength: 12 }),
        fc.date({
          min: windows.registrationOpensAt,
          max: new Date('2020-04-10T00:00:00+08:00'),
          noInvalidDate: true,
        }),
        async (situations, now) => {
          const written = await write(situations);
          const notices = await readOrdersForNotices(
            sql,
            written.map((w) => w.orderId),
          );
          for (const [i, s] of situations.entries()) {
            const { orderId, personId, roundId, storedAccount } = written[i] as Written;
            const ts = orderState(s);
            const tsAccount = storedAccount ?? (orderSelected(s) ? virtualAccount(roundId, orderId) : null);

            const payable = await payableOrder(sql, orderId);
            expect({ state: payable?.state, account: payable?.virtualAccount }, JSON.stringify(s)).toEqual({
              state: ts,
              account: tsAccount,
            });

            const notice = notices.get(orderId);
            expect({ state: notice?.state, selected: notice?.selected }, JSON.stringify(s)).toEqual({
              state: ts,
              selected: orderSelected(s),
            });

            const [looked] = await ordersOfPerson(sql, personId);
            expect(looked?.state, JSON.stringify(s)).toBe(ts);
            expect(looked?.roundDrawn).toBe(s.roundDrawn);
            expect(
              orderStatus(
                { state: looked?.state ?? 'registered', roundDrawn: looked?.roundDrawn ?? false },
                windows,
                now,
              ),
            ).toBe(orderStatus({ state: ts, roundDrawn: s.roundDrawn }, windows, now));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('covers every state an order reads as', () => {
    const states = new Set(fc.sample(situation, 2000).map((s) => orderState(s)));
    expect([...states].sort()).toEqual([
      'awaiting_payment',
      'collected',
      'not_selected',
      'paid',
      'registered',
    ]);
  });
});
