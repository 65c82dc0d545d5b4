import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { singleLine } from '../platform/plain-text.js';
import { buildRawEmail, encodeHeaderText, parseMail, rfc5322Date } from './mime.js';

const date = new Date('2020-03-19T01:00:00.000Z');
const base = {
  from: 'emask@nhi.gov.tw',
  to: 'person@example.tw',
  date,
  messageId: '<outbox-17@emask.taiwan.gov.tw>',
  headers: { 'X-Outbox-Id': '17' },
};

/** What parseMail gives back for a body: CRLF/LF alike, trailing newlines dropped. */
const normalised = (body: string) => body.replace(/\r\n/g, '\n').replace(/\n+$/, '');

describe('buildRawEmail', () => {
  it('writes a message parseMail reads back: headers, Chinese subject and body, Message-ID, date', () => {
    const subject =
      '【eMask 口罩預購】訂單 17 已獲選，請至官網查詢繳費帳號 / Order 17 selected — a long subject';
    const body = '您好：\n\n請至 https://emask.taiwan.gov.tw 查詢。\n.leading dot\n=equals= '.concat(
      'x'.repeat(1200),
    );
    const raw = buildRawEmail({ ...base, subject, body });
    const mail = parseMail(raw);
    expect(mail.subject).toBe(subject);
    expect(mail.text).toBe(body);
    expect(mail.messageId).toBe('<outbox-17@emask.taiwan.gov.tw>');
    expect(mail.from).toBe('emask@nhi.gov.tw');
    expect(mail.headers.get('to')).toBe('person@example.tw');
    expect(mail.headers.get('x-outbox-id')).toBe('17');
    expect(mail.date?.toISOString()).toBe(date.toISOString());
    // SMTP limits: no line over 998 octets, none starting with a dot, 7-bit on the wire.
    const lines = raw.toString('latin1').split('\r\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(998);
    expect(lines.some((l) => l.startsWith('.'))).toBe(false);
    expect([...raw].every((b) => b < 0x80)).toBe(true);
  });

  it('keeps CR and LF out of headers (no header injection through a subject or address)', () => {
    const raw = buildRawEmail({
      ...base,
      to: 'a@b.tw\r\nBcc: victim@example.tw',
      subject: 'hello\r\nBcc: other@example.tw',
      body: 'b',
    });
    const mail = parseMail(raw);
    expect(mail.headers.has('bcc')).toBe(false);
    expect(mail.subject).toBe('hello Bcc: other@example.tw');
  });

  it('round-trips any subject and body (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.string({ unit: 'grapheme' }),
        (subject, body) => {
          const mail = parseMail(buildRawEmail({ ...base, subject, body }));
          // Header values are one line, without control or bidi characters; the reader trims the ends.
          expect((mail.subject ?? '').trim()).toBe(singleLine(subject));
          expect(mail.text).toBe(normalised(body));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('splits encoded words between characters, each within 75 characters', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 300 }), (text) => {
        const encoded = encodeHeaderText(`${text}\u00e9`);
        for (const word of encoded.split('\r\n ')) {
          expect(word.length).toBeLessThanOrEqual(75);
          const data = /^=\?UTF-8\?B\?([^?]*)\?=$/.exec(word)?.[1];
          expect(data).toBeDefined();
          // Each word decodes to whole characters on its own.
          expect(Buffer.from(data as string, 'base64').toString('utf8')).not.toContain('\uFFFD');
        }
      }),
      { numRuns: 200 },
    );
  });

  it('dates in RFC 5322 form', () => {
    expect(rfc5322Date(date)).toBe('Thu, 19 Mar 2020 01:00:00 +0000');
  });
});
