import { referenceIn } from '../../src/notifications/reference.js';
import type { RunningApp } from './app.js';
import {
  adminLogin,
  citizenToken,
  createRound,
  createStore,
  issueCard,
  randomPhone,
  setClock,
} from './factories.js';
import type { Client } from './http.js';

/** A message as the simulated mail provider or SMS gateway received it (`GET /api/v1/sim/outbox`). */
export interface OutboxMessage {
  channel: 'email' | 'sms';
  to: string;
  from: string;
  subject?: string;
  body: string;
  sentAt: string;
}

/** An outbox message with the reference its body carries after `查證碼：`. */
export interface ReceivedMessage extends OutboxMessage {
  reference: string;
}

/** The one message the simulated outbox holds for `to`, with the reference its body carries. */
export async function onlyMessageTo(api: Client, to: string): Promise<ReceivedMessage> {
  const res = await api.get<{ messages: OutboxMessage[] }>(`/api/v1/sim/outbox?to=${encodeURIComponent(to)}`);
  if (res.status !== 200 || res.body.messages.length !== 1) {
    throw new Error(`outbox of ${to}: ${res.status} ${res.text.slice(0, 300)}`);
  }
  const message = res.body.messages[0] as OutboxMessage;
  const reference = referenceIn(message.body);
  if (!reference) throw new Error(`no reference in: ${message.body}`);
  return { ...message, reference };
}

/**
 * The two messages of a real order, through the API as they happen (test app with CLOCK=manual
 * and SIMULATORS=on, clock before round 1's registration closes): the order is placed with a
 * new phone and `email`, the draw selects it and e-mails it (platform time 2020-03-19 09:00),
 * an ATM transfer pays it and the pickup SMS goes out (2020-03-19 10:30).
 */
export async function orderWithMessages(
  t: RunningApp,
  api: Client,
  options: { email?: (phone: string) => string } = {},
): Promise<{ orderId: number; phone: string; email: string; mail: ReceivedMessage; sms: ReceivedMessage }> {
  await setClock(api, '2020-03-12T10:00:00+08:00');
  let admin = await adminLogin(api);
  const round = await createRound(api, admin, { name: `查證 ${randomPhone()}` });
  const store = await createStore(api, admin, { chain: 'FamilyMart', name: '全家台大店' });
  const card = await issueCard(api, admin);
  const phone = randomPhone();
  const email = options.email?.(phone) ?? `buyer.${phone}@example.tw`;
  const token = () => citizenToken(t.sql, card.personId, 'web_card', t.deps.clock.now());
  const placed = await api.put<{ order: { id: number } }>(
    `/api/v1/rounds/${round.id}/order`,
    { storeId: store.id, phone, email },
    { token: await token() },
  );
  if (placed.status !== 200) throw new Error(`order: ${placed.status} ${placed.text}`);

  await setClock(api, '2020-03-18T20:00:00+08:00');
  admin = await adminLogin(api);
  const drawn = await api.post(`/api/v1/admin/rounds/${round.id}/draw`, { seed: 'c0ffee' }, { token: admin });
  if (drawn.status !== 200) throw new Error(`draw: ${drawn.status} ${drawn.text}`);
  await setClock(api, '2020-03-19T09:00:00+08:00');
  const mail = await onlyMessageTo(api, email);

  await setClock(api, '2020-03-19T10:30:00+08:00');
  const mine = await api.get<{ orders: { virtualAccount: string }[] }>('/api/v1/me/orders', {
    token: await token(),
  });
  const paid = await api.post<{ matched: boolean }>('/api/v1/sim/bank/transfers', {
    toAccount: mine.body.orders[0]?.virtualAccount,
    amount: 22,
  });
  if (!paid.body.matched) throw new Error(`transfer: ${JSON.stringify(paid.body)}`);
  const sms = await onlyMessageTo(api, phone);
  return { orderId: placed.body.order.id, phone, email, mail, sms };
}
