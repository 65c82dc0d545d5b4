import { describe, expect, it } from 'vitest';
import {
  adminLogin,
  citizenToken,
  createRound,
  createStore,
  issueCard,
  randomPhone,
  setClock,
} from '../../test/support/factories.js';
import { setUpTestApp } from '../../test/support/fixture.js';

interface SimMessage {
  channel: 'email' | 'sms';
  to: string;
  from: string;
  subject?: string;
  body: string;
}
interface MyOrder {
  id: number;
  status: string;
  virtualAccount?: string;
  pickupSerial?: string;
}

const t = setUpTestApp();
const api = t.api;

describe('the eMask journey through the API', () => {
  it('order → draw → selection e-mail over SMTP → ATM transfer → SMS with serial → slip → pickup', async () => {
    await setClock(api, '2020-03-12T10:00:00+08:00');
    let admin = await adminLogin(api);
    const round = await createRound(api, admin);
    const store = await createStore(api, admin, { chain: 'Hi-Life', name: '萊爾富中正店' });
    const card = await issueCard(api, admin, { name: '林美玲' });
    const phone = randomPhone();
    const email = `mei.${phone}@example.tw`;
    const me = async () => {
      const token = await citizenToken(t.sql, card.personId, 'web_card', t.deps.clock.now());
      const res = await api.get<{ orders: MyOrder[] }>('/api/v1/me/orders', { token });
      expect(res.status).toBe(200);
      return res.body.orders[0] as MyOrder;
    };

    const placed = await api.put(
      `/api/v1/rounds/${round.id}/order`,
      { storeId: store.id, phone, email },
      { token: await citizenToken(t.sql, card.personId, 'web_card', t.deps.clock.now()) },
    );
    expect(placed.status).toBe(200);

    await setClock(api, '2020-03-18T20:00:00+08:00');
    admin = await adminLogin(api);
    const draw = await api.post(
      `/api/v1/admin/rounds/${round.id}/draw`,
      { seed: 'c0ffee' },
      { token: admin },
    );
    expect(draw.status).toBe(200);

    await setClock(api, '2020-03-19T09:00:00+08:00');
    const mails = await api.get<{ messages: SimMessage[] }>(`/api/v1/sim/outbox?to=${email}`);
    expect(mails.body.messages).toHaveLength(1);
    expect(mails.body.messages[0]).toMatchObject({ channel: 'email', to: email });
    const selected = await me();
    expect(selected.status).toBe('awaiting_payment');
    expect(mails.body.messages[0]?.subject).toContain(String(selected.id));

    const paid = await api.post<{ matched: boolean }>('/api/v1/sim/bank/transfers', {
      toAccount: selected.virtualAccount,
      amount: 22,
    });
    expect(paid.body.matched).toBe(true);
    const afterPayment = await me();
    expect(afterPayment.status).toBe('paid');
    const sms = await api.get<{ messages: SimMessage[] }>(`/api/v1/sim/outbox?to=${phone}`);
    expect(sms.body.messages).toHaveLength(1);
    expect(sms.body.messages[0]?.body).toContain(afterPayment.pickupSerial as string);

    await setClock(api, '2020-03-26T08:00:00+08:00');
    const serial = afterPayment.pickupSerial as string;
    const slip = await api.post(
      `/api/v1/stores/${store.id}/pickup-slips`,
      { serial },
      { token: store.apiKey },
    );
    expect(slip.status).toBe(201);
    expect(slip.body).toMatchObject({ buyerNameMasked: '林○玲', packs: 1, amount: 22 });
    const handed = await api.post(
      `/api/v1/stores/${store.id}/pickups`,
      { serial, buyerDocument: { type: 'nhi_card', number: card.cardNo } },
      { token: store.apiKey },
    );
    expect(handed.status).toBe(201);
    expect((await me()).status).toBe('collected');
  });
});
