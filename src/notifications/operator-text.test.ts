import { describe, expect, it } from 'vitest';
import { createRound } from '../../test/support/factories.js';
import { drawWinner, queuedPickupSms, setUpPaymentWorld } from '../../test/support/payments.js';
import { selectedEmail } from '../draw/draw-notice.js';
import { htmlText, messageText, singleLine } from '../platform/plain-text.js';
import { pickupSerialSms } from './messages.js';
import { buildRawEmail, parseMail } from './mime.js';

/** What an operator could have typed before entry refused it, or a row written by hand. */
const HOSTILE_NAME = '全家台大店\r\n<script>alert(1)</script>\u202e';
const HOSTILE_ADDRESS = '臺北市\t大安區\u2028羅斯福路四段1號\u0007\u0085\u2066'; // PostgreSQL text holds no NUL
/** C0 (but LF, which separates the message's own lines), DEL, C1, U+2028/2029, bidi controls. */
const isForbidden = (c: number) =>
  (c < 0x20 && c !== 0x0a) ||
  (c >= 0x7f && c <= 0x9f) ||
  c === 0x061c ||
  c === 0x200e ||
  c === 0x200f ||
  (c >= 0x2028 && c <= 0x202e) ||
  (c >= 0x2066 && c <= 0x2069);
/** True when a message holds a character no operator text may bring into it, or markup brackets. */
const unsafe = (text: string) =>
  [...text].some((ch) => isForbidden(ch.codePointAt(0) as number) || ch === '<' || ch === '>');

const sms = (name: string, address = '臺北市大安區羅斯福路四段1號', chain = 'FamilyMart') =>
  pickupSerialSms({
    reference: 'K7QX-3M9P-TR2D',
    serial: 'ABCDEFGH2345',
    store: { chain, name, address },
    pickupStartsOn: '2020-03-26',
    pickupEndsOn: '2020-04-01',
  });

describe('operator text in messages (output hygiene)', () => {
  it('the pickup SMS carries a store name with CR/LF, HTML and bidi controls as one inert line', () => {
    const body = sms(HOSTILE_NAME, HOSTILE_ADDRESS, 'Family\nMart');
    const clean = sms('全家台大店', '臺北市大安區羅斯福路四段1號');
    // the same lines as for a clean store: nothing the operator typed starts a line
    expect(body.split('\n')).toHaveLength(clean.split('\n').length);
    expect(unsafe(body)).toBe(false);
    expect(body).not.toContain('\r');
    expect(body.split('\n')[1]).toBe(
      '取貨門市：Family Mart 全家台大店 ＜script＞alert(1)＜/script＞（臺北市 大安區 羅斯福路四段1號）',
    );
    // a clean store is written exactly as before
    expect(clean.split('\n')[1]).toBe('取貨門市：FamilyMart 全家台大店（臺北市大安區羅斯福路四段1號）');
  });

  it("the draw's selection e-mail carries the round name filtered, in both languages", () => {
    const round = {
      name: '第1輪\r\nBcc: victim@example.tw\r\n<img src=x onerror=alert(1)>',
      paymentOpensAt: new Date('2020-03-19T01:00:00Z'),
      paymentClosesAt: new Date('2020-03-25T12:00:00Z'),
    };
    const email = selectedEmail(round, { code: '004', name: '臺灣銀行' });
    const clean = selectedEmail({ ...round, name: '第1輪' }, { code: '004', name: '臺灣銀行' });
    expect(email.body.split('\n')).toHaveLength(clean.body.split('\n').length);
    expect(unsafe(email.body)).toBe(false);
    expect(email.body.split('\n').some((line) => line.startsWith('Bcc:'))).toBe(false);
    expect(email.body).toContain('「第1輪 Bcc: victim@example.tw ＜img src=x onerror=alert(1)＞」');
    expect(email.subject).not.toMatch(/[\r\n]/);
  });

  it('headers never carry CR, LF or other controls, whatever the subject or address holds', () => {
    const raw = buildRawEmail({
      from: 'emask@nhi.gov.tw\u0000',
      to: 'a@b.tw\u2028Bcc: x@example.tw',
      subject: `訂單 17\r\nBcc: other@example.tw\u0085\u202e`,
      body: 'b',
      date: new Date('2020-03-19T01:00:00Z'),
      messageId: '<outbox-17@emask.taiwan.gov.tw>\r\nX-Evil: 1',
    });
    const head = raw.toString('utf8').split('\r\n\r\n')[0] as string;
    for (const line of head.split('\r\n')) {
      expect(line).toMatch(/^([A-Za-z-]+: | )/);
      expect([...line].some((ch) => isForbidden(ch.codePointAt(0) as number))).toBe(false);
    }
    const mail = parseMail(raw);
    expect(mail.headers.has('bcc')).toBe(false);
    expect(mail.headers.has('x-evil')).toBe(false);
    expect(mail.subject).toBe('訂單 17 Bcc: other@example.tw');
  });

  it('one helper: single line, no markup in plain text, HTML escaped for an HTML part', () => {
    expect(singleLine(' a\r\n\r\n  b\tc\u2029d ')).toBe('a b c d');
    expect(messageText('<b>"x" & \'y\'</b>')).toBe('＜b＞"x" & \'y\'＜/b＞');
    expect(htmlText('<b onclick="x">\'&\'</b>\r\n')).toBe(
      '&lt;b onclick=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/b&gt;',
    );
    expect(messageText('全家　台大店')).toBe('全家　台大店');
  });
});

describe('operator text from the database reaches no message unfiltered', () => {
  const w = setUpPaymentWorld('2020-03-20T10:00:00+08:00');

  it('a store whose stored name holds "\\r\\n<script>": the pickup SMS of a paid order keeps its lines', async () => {
    // Entry refuses this name now (400); a row from before, or written by hand, may still hold it.
    await w.t
      .sql`update stores set name = ${HOSTILE_NAME}, address = ${HOSTILE_ADDRESS} where id = ${w.store.id}`;
    const order = await drawWinner(w);
    const paid = await w.api.post<{ matched: boolean }>('/api/v1/sim/bank/transfers', {
      toAccount: order.virtualAccount,
      amount: order.amount,
    });
    expect(paid.status).toBe(201);
    expect(paid.body.matched).toBe(true);
    const [queued] = await queuedPickupSms(w.t.sql, order.id);
    const body = queued?.body as string;
    // The six lines of docs/NOTIFICATIONS.md (the last two: reference and what the platform never does).
    expect(body.split('\n')).toHaveLength(6);
    expect(unsafe(body)).toBe(false);
    expect(body).not.toContain('\r');
    expect(body.split('\n')[1]).toBe(
      '取貨門市：FamilyMart 全家台大店 ＜script＞alert(1)＜/script＞（臺北市 大安區 羅斯福路四段1號）',
    );
  });

  it('a round whose stored name holds CR/LF and HTML: the queued selection e-mail is filtered', async () => {
    const round = await createRound(w.api, w.admin, { name: '第9輪' });
    await w.t.sql`update rounds set name = ${'第9輪\r\n<script>alert(1)</script>'} where id = ${round.id}`;
    const drawn = await w.api.post(
      `/api/v1/admin/rounds/${round.id}/draw`,
      { seed: 'abcdef01' },
      { token: w.admin },
    );
    expect(drawn.status).toBe(200);
    const [batch] = await w.t.sql<{ subject: string; body: string }[]>`
      select subject, body from draw_email_batches where round_id = ${round.id}`;
    expect(unsafe(batch?.body as string)).toBe(false);
    expect(batch?.body).toContain('「第9輪 ＜script＞alert(1)＜/script＞」');
    expect(batch?.subject).not.toMatch(/[\r\n]/);
  });
});
