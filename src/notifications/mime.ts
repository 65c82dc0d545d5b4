/**
 * A small reader for the e-mails the platform itself sends (RFC 5322 headers, RFC 2047 encoded
 * words, base64 / quoted-printable / 8bit bodies, multipart with a text part). Used by the
 * simulated SMTP server to store what arrived in readable form, and the writer of those e-mails
 * (`buildRawEmail`). Pure functions, no I/O.
 */

import { singleLine } from '../platform/plain-text.js';

export interface ParsedMail {
  /** Lower-cased header name → decoded value of its first occurrence. */
  headers: Map<string, string>;
  messageId: string | undefined;
  subject: string | undefined;
  from: string | undefined;
  date: Date | undefined;
  /** The plain-text body, line endings normalised to \n, trailing blank lines removed. */
  text: string;
}

const UTF8 = new TextDecoder('utf-8');
/** Decoders by charset label (making one per header was a visible cost at thousands per second). */
const decoders = new Map<string, TextDecoder>([
  ['utf-8', UTF8],
  ['utf8', UTF8],
]);

function decoderFor(label: string): TextDecoder {
  let decoder = decoders.get(label);
  if (!decoder) {
    try {
      decoder = new TextDecoder(label);
    } catch {
      decoder = UTF8;
    }
    if (decoders.size < 64) decoders.set(label, decoder);
  }
  return decoder;
}

function decodeCharset(bytes: Buffer, charset: string | undefined): string {
  return decoderFor((charset ?? 'utf-8').trim().toLowerCase()).decode(bytes);
}

function decodeQuotedPrintableBytes(text: string, inHeader: boolean): Buffer {
  const source = inHeader ? text.replace(/_/g, ' ') : text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    const hex = source.slice(i + 1, i + 3);
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(source.charCodeAt(i) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

const ENCODED_WORD = /=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g;

/** RFC 2047: `=?UTF-8?B?…?=` and `=?UTF-8?Q?…?=` words; whitespace between adjacent words is dropped. */
export function decodeWords(value: string): string {
  const joined = value.replace(/\?=\s+=\?/g, '?==?');
  return joined.replace(ENCODED_WORD, (_m, charset: string, encoding: string, data: string) => {
    const lang = charset.indexOf('*');
    const cs = lang >= 0 ? charset.slice(0, lang) : charset;
    const bytes =
      encoding.toUpperCase() === 'B' ? Buffer.from(data, 'base64') : decodeQuotedPrintableBytes(data, true);
    return decodeCharset(bytes, cs);
  });
}

/** Splits a raw message (as latin1 text, byte for byte) into unfolded headers and the body. */
function splitMessage(raw: string): { headers: Map<string, string>; body: string } {
  const match = /\r?\n\r?\n/.exec(raw);
  const head = match ? raw.slice(0, match.index) : raw;
  const body = match ? raw.slice(match.index + match[0].length) : '';
  const headers = new Map<string, string>();
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  for (const line of unfolded.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return { headers, body };
}

/** `text/plain; charset="utf-8"` → { type: 'text/plain', params: { charset: 'utf-8' } } */
function contentType(value: string | undefined): { type: string; params: Record<string, string> } {
  if (!value) return { type: 'text/plain', params: {} };
  const [type, ...rest] = value.split(';');
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    params[p.slice(0, eq).trim().toLowerCase()] = p
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
  }
  return { type: (type ?? 'text/plain').trim().toLowerCase(), params };
}

function decodeBody(body: string, encoding: string | undefined, charset: string | undefined): string {
  const cte = (encoding ?? '7bit').trim().toLowerCase();
  let bytes: Buffer;
  if (cte === 'base64') bytes = Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
  else if (cte === 'quoted-printable') bytes = decodeQuotedPrintableBytes(body, false);
  else bytes = Buffer.from(body, 'latin1');
  return decodeCharset(bytes, charset);
}

/** The first text part of a (possibly multipart) entity; plain text is preferred over HTML. */
function textOf(headers: Map<string, string>, body: string, depth = 0): string | undefined {
  const ct = contentType(headers.get('content-type'));
  if (ct.type.startsWith('multipart/') && ct.params.boundary && depth < 5) {
    const delimiter = `--${ct.params.boundary}`;
    const parts = body
      .split(delimiter)
      .slice(1)
      .filter((p) => !p.startsWith('--'))
      .map((p) => splitMessage(p.replace(/^\r?\n/, '')));
    const plain = parts.find((p) => contentType(p.headers.get('content-type')).type === 'text/plain');
    for (const part of plain ? [plain, ...parts] : parts) {
      const text = textOf(part.headers, part.body, depth + 1);
      if (text !== undefined) return text;
    }
    return undefined;
  }
  if (!ct.type.startsWith('text/')) return undefined;
  return decodeBody(body, headers.get('content-transfer-encoding'), ct.params.charset);
}

/** No byte above 0x7f (latin1 text): the same in UTF-8. */
const ASCII = /^[^\x80-\xff]*$/;

export function parseMail(raw: Buffer): ParsedMail {
  const { headers: rawHeaders, body } = splitMessage(raw.toString('latin1'));
  const headers = new Map<string, string>();
  for (const [name, value] of rawHeaders) {
    // Header bytes are UTF-8 when not encoded-word (SMTPUTF8); decode both. Most headers are
    // plain ASCII without encoded words and are taken as they are.
    const text = ASCII.test(value) ? value : decodeCharset(Buffer.from(value, 'latin1'), 'utf-8');
    headers.set(name, text.includes('=?') ? decodeWords(text) : text);
  }
  const dateHeader = headers.get('date');
  const date = dateHeader ? new Date(dateHeader) : undefined;
  const text = (textOf(rawHeaders, body) ?? '').replace(/\r\n/g, '\n').replace(/\n+$/, '');
  return {
    headers,
    messageId: headers.get('message-id')?.trim(),
    subject: headers.get('subject'),
    from: headers.get('from'),
    date: date && !Number.isNaN(date.getTime()) ? date : undefined,
    text,
  };
}

export interface RawEmailInput {
  from: string;
  to: string;
  subject: string;
  /** Plain text; line endings become CRLF on the wire. */
  body: string;
  date: Date;
  /** `<…>` form. */
  messageId: string;
  /** Extra ASCII headers (name → value). */
  headers?: Readonly<Record<string, string>>;
}

/**
 * Header values are one line: a CR or LF would let the value start a header of its own, and no
 * other control, separator or bidi character belongs in a header either (`singleLine`).
 */
function oneLine(value: string): string {
  return singleLine(value);
}

const PLAIN_HEADER = /^[\x20-\x7e]*$/;
/** UTF-8 bytes per encoded word: 45 bytes → 60 base64 chars, within RFC 2047's 75 per word. */
const WORD_BYTES = 45;

/**
 * RFC 2047 B-encoded words, split between characters (never inside one), one per folded line.
 * Printable ASCII that cannot be mistaken for an encoded word stays as it is.
 */
export function encodeHeaderText(value: string): string {
  const text = oneLine(value);
  if (PLAIN_HEADER.test(text) && !text.includes('=?') && text.length <= 900) return text;
  const words: string[] = [];
  let chunk = '';
  let bytes = 0;
  for (const ch of text) {
    const size = Buffer.byteLength(ch, 'utf8');
    if (bytes + size > WORD_BYTES && chunk !== '') {
      words.push(`=?UTF-8?B?${Buffer.from(chunk, 'utf8').toString('base64')}?=`);
      chunk = '';
      bytes = 0;
    }
    chunk += ch;
    bytes += size;
  }
  if (chunk !== '' || words.length === 0) {
    words.push(`=?UTF-8?B?${Buffer.from(chunk, 'utf8').toString('base64')}?=`);
  }
  return words.join('\r\n ');
}

/** RFC 5322 date-time in UTC: `Thu, 19 Mar 2020 01:00:00 +0000`. */
export function rfc5322Date(date: Date): string {
  return date.toUTCString().replace(/GMT$/, '+0000');
}

/**
 * The whole message as it goes over SMTP: a single text/plain UTF-8 part, base64 in 76-column
 * lines (no line can exceed SMTP's 998 and none can start with a dot). Built directly, which
 * costs a fraction of a general MIME composer (bench/RESULTS.md (g)); `parseMail` reads it back.
 */
export function buildRawEmail(m: RawEmailInput): Buffer {
  const lines = [
    `From: ${oneLine(m.from)}`,
    `To: ${oneLine(m.to)}`,
    `Subject: ${encodeHeaderText(m.subject)}`,
    `Date: ${rfc5322Date(m.date)}`,
    `Message-ID: ${oneLine(m.messageId)}`,
  ];
  for (const [name, value] of Object.entries(m.headers ?? {})) lines.push(`${name}: ${oneLine(value)}`);
  lines.push(
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
  );
  const encoded = Buffer.from(m.body.replace(/\r?\n/g, '\r\n'), 'utf8').toString('base64');
  const bodyLines: string[] = [];
  for (let i = 0; i < encoded.length; i += 76) bodyLines.push(encoded.slice(i, i + 76));
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${bodyLines.join('\r\n')}\r\n`, 'utf8');
}
