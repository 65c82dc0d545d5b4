import { beforeAll } from 'vitest';
import type { Db } from '../../src/platform/db.js';
import { virtualAccount } from '../../src/rules/virtual-account.js';
import {
  createOrderInState,
  createRound,
  createStore,
  issueCard,
  setClock,
  type TestOrder,
} from './factories.js';
import { setUpTestApp, type TestAppHandle } from './fixture.js';
import type { Client } from './http.js';
import type { OutboxMessage } from './messages.js';

/**
 * What the payment tests start from: a test app with its clock at `at` (inside the round's
 * payment window, where the operator session stays valid), an operator, a round and the
 * FamilyMart store whose name the pickup SMS carries.
 */
export interface PaymentWorld {
  t: TestAppHandle;
  api: Client;
  admin: string;
  roundId: number;
  store: { id: number; apiKey: string };
}

/**
 * The payment world of a file or describe block: call it at the top level. The app (and its
 * teardown) comes from `setUpTestApp`; `t` and `api` are there at once, the operator, the round
 * and the store are filled in by its own `beforeAll`.
 */
export function setUpPaymentWorld(at: string): PaymentWorld {
  const t = setUpTestApp();
  const w = { t, api: t.api } as PaymentWorld;
  beforeAll(async () => {
    await setClock(w.api, at);
    w.admin = await t.admin();
    w.roundId = (await createRound(w.api, w.admin)).id;
    w.store = await createStore(w.api, w.admin, {
      chain: 'FamilyMart',
      name: '全家台大店',
      address: '臺北市大安區羅斯福路四段1號',
    });
  });
  return w;
}

/** An order of a new card holder in the world's round and store (default awaiting_payment). */
export async function paymentOrder(
  w: PaymentWorld,
  overrides: Partial<Parameters<typeof createOrderInState>[1]> = {},
): Promise<TestOrder & { cardNo: string }> {
  const card = await issueCard(w.api, w.admin);
  const order = await createOrderInState(w.t, {
    roundId: w.roundId,
    personId: card.personId,
    storeId: w.store.id,
    now: new Date('2020-03-15T10:00:00+08:00'),
    ...overrides,
  });
  return { ...order, cardNo: card.cardNo };
}

/** A winner as the draw leaves it: stored `registered`, listed in draw_winners (migration 0050). */
export async function drawWinner(
  w: PaymentWorld,
): Promise<TestOrder & { cardNo: string; virtualAccount: string }> {
  const order = await paymentOrder(w, { state: 'registered' });
  await w.t.sql`insert into draw_winners (round_id, order_id) values (${w.roundId}, ${order.id})`;
  return { ...order, virtualAccount: virtualAccount(w.roundId, order.id) };
}

/** The pickup-serial SMS queued in the outbox for an order (what delivery then sends). */
export const queuedPickupSms = (db: Db, orderId: number) =>
  db<{ recipient: string; body: string }[]>`
    select recipient, body from outbox where channel = 'sms' and dedupe_key = ${`pickup-serial:${orderId}`}`;

/** Inside round 1's payment window: where every payment test's people are created. */
export const IN_WINDOW = '2020-03-20T10:00:00+08:00';
/** A pickup serial as the platform draws it (src/payments/pickup-serial.ts). */
export const SERIAL = /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{12}$/;

/** A transfer at the simulated bank, which then sends the platform its signed notice. */
export const transferTo = (w: PaymentWorld, toAccount: string, amount: number) =>
  w.api.post<{ transferId: string; matched: boolean }>('/api/v1/sim/bank/transfers', { toAccount, amount });

/** The SMS the simulated gateway received for `phone`. */
export const smsTo = async (w: PaymentWorld, phone: string): Promise<OutboxMessage[]> =>
  (await w.api.get<{ messages: OutboxMessage[] }>(`/api/v1/sim/outbox?to=${phone}`)).body.messages;
