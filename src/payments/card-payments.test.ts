import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  citizenToken,
  type createOrderInState,
  issueCard,
  orderPaymentOf,
  setClock,
} from '../../test/support/factories.js';
import {
  IN_WINDOW,
  paymentOrder,
  SERIAL,
  setUpPaymentWorld,
  smsTo,
  transferTo,
} from '../../test/support/payments.js';
import type { Channel } from '../platform/auth.js';
import { simulatedCardGateway } from '../sim/card-gateway.js';
import type { CardGateway } from './card-gateway.js';
import { payByCard } from './pay-by-card.js';

// Every person is created at IN_WINDOW, where the operator session stays valid.
const w = setUpPaymentWorld(IN_WINDOW);
const { t, api } = w;
let admin: string;

beforeAll(() => {
  admin = w.admin;
});
beforeEach(async () => {
  await setClock(api, IN_WINDOW);
});

const selectedOrder = (overrides: Partial<Parameters<typeof createOrderInState>[1]> = {}) =>
  paymentOrder(w, overrides);

const orderRow = (id: number) => orderPaymentOf(t.sql, id);

const transfer = (toAccount: string, amount: number) => transferTo(w, toAccount, amount);
const smsFor = (phone: string) => smsTo(w, phone);

describe('credit card payment', () => {
  const card = { cardNumber: '4111 1111 1111 1111', expiry: '12/25', cvc: '123', holder: 'Someone Else' };
  const pay = (orderId: number, token: string | undefined, body: Record<string, unknown> = card) =>
    api.post<Record<string, unknown>>(`/api/v1/orders/${orderId}/payments/card`, body, { token });
  const session = (personId: number, channel: Channel) =>
    citizenToken(t.sql, personId, channel, t.deps.clock.now());

  it("pays the owner's web order with anyone's card, keeps only the last 4 digits and sends the serial", async () => {
    const order = await selectedOrder();
    const res = await pay(order.id, await session(order.personId, 'web_card'));
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      orderId: order.id,
      status: 'paid',
      amount: 22,
      paymentMethod: 'card',
      paidAt: IN_WINDOW,
      card: { brand: 'visa', last4: '1111' },
    });
    expect(res.body.pickupSerial).toMatch(SERIAL);
    expect(await orderRow(order.id)).toMatchObject({
      state: 'paid',
      payment_method: 'card',
      pickup_serial: res.body.pickupSerial,
    });
    const stored = await t.sql`select * from card_payments where order_id = ${order.id}`;
    expect(stored).toEqual([expect.objectContaining({ card_last4: '1111', card_brand: 'visa', amount: 22 })]);
    const everywhere = JSON.stringify([
      stored,
      await t.sql`select * from audit_log where subject = ${`order:${order.id}`}`,
      await t.sql`select * from outbox where recipient = ${order.phone}`,
    ]);
    expect(everywhere).not.toContain('4111111111111111');
    expect(everywhere).not.toContain('4111 1111 1111 1111');
    const sms = await smsFor(order.phone);
    expect(sms).toHaveLength(1);
    expect(sms[0]?.body).toContain(res.body.pickupSerial as string);
  });

  it('a citizen-certificate session may pay too', async () => {
    const order = await selectedOrder({ channel: 'web_certificate' });
    expect((await pay(order.id, await session(order.personId, 'web_certificate'))).status).toBe(201);
  });

  it('refuses app sessions and app orders with 403 PAYMENT_METHOD_NOT_ALLOWED, writing nothing', async () => {
    for (const channel of ['app_phone', 'app_device', 'counter'] as const) {
      const order = await selectedOrder();
      const res = await pay(order.id, await session(order.personId, channel));
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ error: { code: 'PAYMENT_METHOD_NOT_ALLOWED' } });
      expect((await orderRow(order.id))?.state).toBe('awaiting_payment');
    }
    const appOrder = await selectedOrder({ channel: 'app_phone' });
    const res = await pay(appOrder.id, await session(appOrder.personId, 'web_card'));
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'PAYMENT_METHOD_NOT_ALLOWED' } });
    expect(await t.sql`select 1 from card_payments where order_id = ${appOrder.id}`).toHaveLength(0);
    // the app order is still payable by ATM
    expect((await transfer(appOrder.virtualAccount as string, 22)).body.matched).toBe(true);
  });

  it("answers 404 UNKNOWN_ORDER for another person's order or no order, 401 without a session", async () => {
    const order = await selectedOrder();
    const stranger = await issueCard(api, admin);
    const other = await pay(order.id, await session(stranger.personId, 'web_card'));
    expect(other.status).toBe(404);
    expect(other.body).toMatchObject({ error: { code: 'UNKNOWN_ORDER' } });
    expect((await pay(987654321, await session(order.personId, 'web_card'))).status).toBe(404);
    expect((await pay(order.id, undefined)).status).toBe(401);
    expect((await pay(order.id, undefined, { cardNumber: 'x' })).status).toBe(401);
    expect((await orderRow(order.id))?.state).toBe('awaiting_payment');
  });

  it('answers 409 PAYMENT_CLOSED before and after the window and 409 ALREADY_PAID for a paid order', async () => {
    const order = await selectedOrder();
    // A session is signed in at each instant: sessions lapse 24 hours after their last use.
    await setClock(api, '2020-03-19T08:59:59+08:00');
    const early = await pay(order.id, await session(order.personId, 'web_card'));
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ error: { code: 'PAYMENT_CLOSED' } });
    await setClock(api, '2020-03-25T20:00:00+08:00');
    const late = await pay(order.id, await session(order.personId, 'web_card'));
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({
      error: { code: 'PAYMENT_CLOSED', paymentClosesAt: '2020-03-25T20:00:00+08:00' },
    });
    expect((await orderRow(order.id))?.state).toBe('awaiting_payment');

    await setClock(api, IN_WINDOW);
    const token = await session(order.personId, 'web_card');
    expect((await pay(order.id, token)).status).toBe(201);
    const twice = await pay(order.id, token);
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ error: { code: 'ALREADY_PAID' } });
    expect(await t.sql`select 1 from card_payments where order_id = ${order.id}`).toHaveLength(1);
  });

  it('answers 409 NOT_AWAITING_PAYMENT for an order that was not selected', async () => {
    const order = await selectedOrder({ state: 'not_selected' });
    const res = await pay(order.id, await session(order.personId, 'web_card'));
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: { code: 'NOT_AWAITING_PAYMENT' } });
  });

  it('declines test cards, numbers failing the Luhn check and expired cards with 422 CARD_DECLINED', async () => {
    const order = await selectedOrder();
    const token = await session(order.personId, 'web_card');
    const cases: [Record<string, string>, string][] = [
      [{ cardNumber: '4000000000000002' }, 'declined'],
      [{ cardNumber: '4000000000009995' }, 'insufficient_funds'],
      [{ cardNumber: '4111111111111112' }, 'invalid_number'],
      [{ expiry: '02/20' }, 'expired'],
    ];
    for (const [change, reason] of cases) {
      const res = await pay(order.id, token, { ...card, ...change });
      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ error: { code: 'CARD_DECLINED', reason } });
    }
    expect((await orderRow(order.id))?.state).toBe('awaiting_payment');
    expect(await t.sql`select 1 from card_payments where order_id = ${order.id}`).toHaveLength(0);
    // valid through the end of the month printed on it
    expect((await pay(order.id, token, { ...card, expiry: '03/20' })).status).toBe(201);
  });

  it('answers 400 for a malformed card', async () => {
    const order = await selectedOrder();
    const token = await session(order.personId, 'web_card');
    for (const change of [{ expiry: '13/25' }, { cvc: '12' }, { cardNumber: '4111-abcd' }, { holder: '' }]) {
      const res = await pay(order.id, token, { ...card, ...change });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    }
  });

  it('a card payment racing an ATM transfer pays the order once', async () => {
    const order = await selectedOrder();
    const token = await session(order.personId, 'web_card');
    const [byCard, byAtm] = await Promise.all([
      pay(order.id, token),
      transfer(order.virtualAccount as string, 22),
    ]);
    const successes = [byCard.status === 201, byAtm.body.matched === true].filter(Boolean);
    expect(successes).toHaveLength(1);
    if (byCard.status !== 201) expect(byCard.body).toMatchObject({ error: { code: 'ALREADY_PAID' } });
    expect(await smsFor(order.phone)).toHaveLength(1);
  });

  it('claims the payment before charging: a card payment waiting on an ATM payment of the order charges nothing', async () => {
    const order = await selectedOrder();
    const charges: string[] = [];
    const sim = simulatedCardGateway();
    const recording: CardGateway = {
      charge: (c) => {
        charges.push(c.reference);
        return sim.charge(c);
      },
    };
    // An ATM payment of the order, written and not yet committed (as a notice batch holds it).
    // The card payment starts only once that row is written, so it is the one that waits.
    let commit = () => {};
    const committed = new Promise<void>((resolve) => {
      commit = resolve;
    });
    let written = () => {};
    const inserted = new Promise<void>((resolve) => {
      written = resolve;
    });
    const atm = t.sql.begin(async (tx) => {
      await tx`insert into order_payments (order_id, pickup_serial, method, paid_at)
        values (${order.id}, 'ATMPAYMENT01', 'atm', ${t.deps.clock.now()})`;
      written();
      await committed;
    });
    await Promise.race([inserted, atm]);
    const byCard = payByCard(
      { orderId: order.id, personId: order.personId, channel: 'web_card', card },
      t.deps,
      recording,
    ).then(
      () => null,
      (e: unknown) => e,
    );
    // The card payment waits on the payment row's key…
    for (let i = 0; i < 200; i++) {
      const [waiting] = await t.sql<{ n: number }[]>`
        select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`;
      if ((waiting?.n ?? 0) > 0) break;
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(charges).toEqual([]);
    commit();
    await atm;
    // …and, the order paid meanwhile, answers ALREADY_PAID without having charged the card.
    expect(await byCard).toMatchObject({ code: 'ALREADY_PAID' });
    expect(charges).toEqual([]);
    expect(await t.sql`select 1 from card_payments where order_id = ${order.id}`).toHaveLength(0);
    expect((await orderRow(order.id))?.pickup_serial).toBe('ATMPAYMENT01');
    // With the order still unpaid, the same gateway is charged once.
    const other = await selectedOrder();
    await payByCard(
      { orderId: other.id, personId: other.personId, channel: 'web_card', card },
      t.deps,
      recording,
    );
    expect(charges).toEqual([`order-${other.id}`]);
  });
});
