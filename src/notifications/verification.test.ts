/**
 * `POST /api/v1/messages/verify` (API.md v1.1 "Message verification"): the selection e-mail and
 * the pickup SMS of a real order (placed, drawn, paid by ATM transfer) carry references that
 * check out for their recipient and for nobody else; failed checks are limited like the order
 * look-up, also under concurrency. Its own file (and so its own server and database): every
 * request here comes from 127.0.0.1, one client address.
 */
import { randomInt } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomPhone, setClock } from '../../test/support/factories.js';
import { setUpTestApp } from '../../test/support/fixture.js';
import type { Reply } from '../../test/support/http.js';
import { orderWithMessages, type ReceivedMessage } from '../../test/support/messages.js';
import { PICKUP_SMS_SUMMARY, VERIFY_URL } from './messages.js';
import { newMessageReference, recipientIndex } from './reference.js';

type Verdict = { genuine: boolean; channel?: string; sentAt?: string; summary?: string };

const t = setUpTestApp();
const api = t.api;
/** The order's recipients, and the messages they received with the references they carry. */
let phone: string;
let email: string;
let orderId: number;
let mail: ReceivedMessage;
let sms: ReceivedMessage;

const verify = (reference: unknown, recipient: unknown) =>
  api.post<Verdict>('/api/v1/messages/verify', { reference, recipient });

/** A reference of the right shape that the platform never sent (a fresh one: 2^-59 to collide). */
const fakeReference = () => newMessageReference();

function expectLimited(res: Reply<unknown>): void {
  expect(res.status, res.text).toBe(429);
  expect(res.body).toMatchObject({ error: { code: 'TOO_MANY_REQUESTS' } });
  expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
}

beforeAll(async () => {
  // The address as the person typed it: verification compares addresses without case.
  ({ orderId, phone, email, mail, sms } = await orderWithMessages(t, api, {
    email: (p) => `Mei.Lin.${p}@Example.TW`,
  }));
  await setClock(api, '2020-03-20T09:00:00+08:00');
}, 60_000);

describe('the references messages carry', () => {
  it('are in the body of the selection e-mail and of the pickup SMS, each its own, with the page to check them on', () => {
    expect(mail.reference).not.toBe(sms.reference);
    for (const m of [mail, sms]) {
      expect(m.reference).toMatch(/^[2-9A-HJKMNP-Z]{4}(-[2-9A-HJKMNP-Z]{4}){2}$/);
      expect(m.body).toContain(`查證碼：${m.reference}`);
      expect(m.body).toContain(` ${VERIFY_URL} `);
      expect(m.body).toContain('本平台不會來電、不會以簡訊要求匯款，也不會傳送付款連結。');
    }
  });
});

describe('POST /api/v1/messages/verify', () => {
  it('is described in the generated OpenAPI', async () => {
    const doc = await api.get<{
      paths: Record<string, Record<string, { description?: string; tags?: string[] }>>;
    }>('/docs/json');
    const route = doc.body.paths['/api/v1/messages/verify']?.post;
    expect(route?.tags).toEqual(['public']);
    expect(route?.description).toContain('查證碼');
    expect(route?.description).toContain('429');
  });

  it('confirms the selection e-mail and the pickup SMS to their recipient, however reference and recipient are written', async () => {
    const e = await verify(mail.reference, email);
    expect(e.status, e.text).toBe(200);
    expect(e.headers.get('cache-control')).toBe('no-store');
    expect(e.body).toEqual({
      genuine: true,
      channel: 'email',
      sentAt: mail.sentAt,
      summary: expect.stringContaining(`訂單 ${orderId}`),
    });
    expect(e.body.summary).toContain('獲選通知');
    expect(e.body.sentAt).toBe('2020-03-19T09:00:00+08:00');

    const s = await verify(sms.reference, phone);
    expect(s.body).toEqual({
      genuine: true,
      channel: 'sms',
      sentAt: sms.sentAt,
      summary: PICKUP_SMS_SUMMARY,
    });
    expect(s.body.sentAt).toBe('2020-03-19T10:30:00+08:00');

    const bare = (r: string) => r.replaceAll('-', '');
    const dashed = `${phone.slice(0, 4)}-${phone.slice(4, 7)}-${phone.slice(7)}`;
    for (const [reference, recipient] of [
      [` ${mail.reference.toLowerCase()} `, email.toLowerCase()],
      [bare(mail.reference), ` ${email.toUpperCase()} `],
      [sms.reference.toLowerCase(), dashed],
      [bare(sms.reference), `+886${phone.slice(1)}`],
      [sms.reference, `+886 ${phone.slice(1, 4)} ${phone.slice(4, 7)} ${phone.slice(7)}`],
    ] as const) {
      const res = await verify(reference, recipient);
      expect(res.body.genuine, `${reference} ${recipient}`).toBe(true);
    }
  });

  it('answers genuine:false, with the same body, whichever half is wrong', async () => {
    await setClock(api, '2020-03-20T10:00:00+08:00');
    const otherPhone = randomPhone();
    const answers = [
      await verify(fakeReference(), email), // wrong reference
      await verify(fakeReference(), phone),
      await verify(mail.reference, `someone.else.${phone}@example.tw`), // right reference, another recipient
      await verify(sms.reference, otherPhone),
      await verify(mail.reference, phone), // the e-mail's reference with the same person's phone
      await verify(sms.reference, email),
      await verify('ABCDEFGH', email), // well-formed, not one of ours
    ];
    for (const res of answers) {
      expect(res.status, res.text).toBe(200);
      expect(res.text).toBe('{"genuine":false}');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('content-type')).toBe(answers[0]?.headers.get('content-type'));
      expect(res.headers.get('content-length')).toBe(answers[0]?.headers.get('content-length'));
    }
  });

  it('confirms a message only once it was sent', async () => {
    await setClock(api, '2020-03-20T10:10:00+08:00');
    const to = randomPhone();
    const reference = newMessageReference();
    // Queued and never sent (given up): no receiver accepted it, so it is not a message sent.
    const [row] = await t.sql<{ id: number }[]>`
      insert into outbox (channel, recipient, sender, body, reference, summary, dedupe_key, created_at,
                          next_attempt_at, given_up_at, recipient_index)
      values ('sms', ${t.deps.vault.seal('phone', to)}, '0911510914', ${`查證碼：${reference}`}, ${reference},
              'test', ${`test:${reference}`}, now(), now(), now(), ${recipientIndex(t.deps.vault, 'sms', to)})
      returning id`;
    expect((await verify(reference, to)).body).toEqual({ genuine: false });
    await t.sql`update outbox set sent_at = '2020-03-20T10:09:00+08:00' where id = ${row?.id ?? 0}`;
    expect((await verify(reference, to)).body).toEqual({
      genuine: true,
      channel: 'sms',
      sentAt: '2020-03-20T10:09:00+08:00',
      summary: 'test',
    });
  });

  it('refuses other shapes with 400 VALIDATION_FAILED naming the field, never as a failed check', async () => {
    await setClock(api, '2020-03-20T10:20:00+08:00');
    const cases: [unknown, unknown, string][] = [
      ['SHORT', email, 'body/reference'],
      ['K7QX-3M9P-TR2D!', email, 'body/reference'],
      ['', email, 'body/reference'],
      [mail.reference, 'hello', 'body/recipient'],
      [mail.reference, '0212345678', 'body/recipient'],
      [mail.reference, 'lin@', 'body/recipient'],
      [mail.reference, '', 'body/recipient'],
      [{ code: 'K7QX-3M9P-TR2D' }, email, 'body/reference'],
      [mail.reference, null, 'body/recipient'],
    ];
    // More than 10 of them for one recipient: none counts against its limit.
    for (let round = 0; round < 2; round++) {
      for (const [reference, recipient, field] of cases) {
        const res = await verify(reference, recipient);
        expect(res.status, res.text).toBe(400);
        expect(res.body).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
        expect(JSON.stringify(res.body)).toContain(field);
        expect(res.headers.get('cache-control')).toBe('no-store');
      }
    }
    const missing = await api.post('/api/v1/messages/verify', { reference: mail.reference });
    expect(missing.status).toBe(400);
    const notJson = await api.call('POST', '/api/v1/messages/verify', { raw: '{"reference":' });
    expect(notJson.status).toBe(400);
    expect((await verify(mail.reference, email)).body.genuine).toBe(true);
  });

  it('after 10 failed checks for one recipient within an hour: 429 with Retry-After, even for the right pair; genuine checks are not counted', async () => {
    await setClock(api, '2020-03-20T12:00:00+08:00');
    // Genuine checks count against nothing.
    for (let i = 0; i < 15; i++) expect((await verify(sms.reference, phone)).body.genuine).toBe(true);
    for (let i = 0; i < 10; i++) {
      const res = await verify(fakeReference(), phone);
      expect(res.status, `failure ${i + 1}: ${res.text}`).toBe(200);
      expect(res.body).toEqual({ genuine: false });
    }
    expectLimited(await verify(fakeReference(), phone));
    const right = await verify(sms.reference, `+886${phone.slice(1)}`);
    expectLimited(right);
    expect(right.headers.get('cache-control')).toBe('no-store');
    // Another recipient is not limited by this one's failures.
    expect((await verify(mail.reference, email)).body.genuine).toBe(true);
    // Still within the hour (platform clock): still limited.
    await setClock(api, '2020-03-20T12:55:00+08:00');
    expectLimited(await verify(sms.reference, phone));
    // An hour after the failures the recipient may check again.
    await setClock(api, '2020-03-20T13:01:00+08:00');
    expect((await verify(sms.reference, phone)).body.genuine).toBe(true);
  });

  it('after 30 failed checks a minute from one address: 429 with Retry-After, for any recipient', async () => {
    await setClock(api, '2020-03-20T14:00:00+08:00');
    for (let i = 0; i < 30; i++) {
      const res = await verify(fakeReference(), randomPhone());
      expect(res.status, `failure ${i + 1}: ${res.text}`).toBe(200);
      expect(res.body).toEqual({ genuine: false });
    }
    expectLimited(await verify(fakeReference(), randomPhone()));
    expectLimited(await verify(mail.reference, email));
    await setClock(api, '2020-03-20T14:01:01+08:00');
    expect((await verify(mail.reference, email)).body.genuine).toBe(true);
  });

  it('lets at most 10 of 200 concurrent wrong checks for one recipient be evaluated, the right one among them included', async () => {
    await setClock(api, '2020-03-20T16:00:00+08:00');
    const right = randomInt(200);
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        i === right ? verify(sms.reference, phone) : verify(fakeReference(), phone),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(
      statuses.filter((s) => s !== 200 && s !== 429),
      JSON.stringify(statuses),
    ).toEqual([]);
    const failed = answers.filter((a, i) => i !== right && a.status === 200);
    // A limit checked first and counted afterwards would let far more than 10 through here.
    expect(failed.length).toBeLessThanOrEqual(10);
    expect(failed.length).toBeGreaterThan(0);
    for (const a of failed) expect(a.body).toEqual({ genuine: false });
    const limited = answers.filter((a, i) => i !== right && a.status === 429);
    expect(limited).toHaveLength(199 - failed.length);
    for (const a of limited) expectLimited(a);
    const mine = answers[right] as Reply<Verdict>;
    if (mine.status === 200) expect(mine.body).toMatchObject({ genuine: true, channel: 'sms' });
    else expectLimited(mine);
    // And the window is full now: a right check waits for it like any other.
    expectLimited(await verify(sms.reference, phone));
  });
});
