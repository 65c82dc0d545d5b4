/**
 * A small reader for the e-mails the platform itself sends (RFC 5322 headers, RFC 2047 encoded
 * words, base64 / quoted-printable / 8bit bodies, multipart with a text part). Used by the
 * simulated SMTP server to store what arrived in readable form. Pure functions, no I/O.
 */

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

function decodeCharset(bytes: Buffer, charset: string | undefined): string {
  const label = (charset ?? 'utf-8').trim().toLowerCase();
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
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

export function parseMail(raw: Buffer): ParsedMail {
  const { headers: rawHeaders, body } = splitMessage(raw.toString('latin1'));
  const headers = new Map<string, string>();
  for (const [name, value] of rawHeaders) {
    // Header bytes are UTF-8 when not encoded-word (SMTPUTF8); decode both.
    headers.set(name, decodeWords(decodeCharset(Buffer.from(value, 'latin1'), 'utf-8')));
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
