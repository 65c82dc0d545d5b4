/**
 * Operator-entered text (names, addresses, phones of pharmacies, stores, counters, rounds,
 * card holders) on its way in and out (docs/SECURITY.md "Output hygiene"). Pure functions.
 *
 * The characters refused at entry and removed on output, as a regular-expression class body
 * (escapes only, so no invisible character sits in this file, the schemas or the OpenAPI):
 * - C0 controls U+0000–U+001F (NUL, TAB, LF, CR, ESC, …), DEL U+007F, C1 controls U+0080–U+009F;
 * - the line and paragraph separators U+2028, U+2029 (line breaks to JavaScript and many viewers);
 * - every Unicode Bidi_Control character: U+061C, U+200E, U+200F, the embeddings and overrides
 *   U+202A–U+202E and the isolates U+2066–U+2069 (they make a name display in another order
 *   than it is stored: "Trojan Source" spoofing).
 */
export const CONTROL_CHARACTER_CLASS =
  '\\u0000-\\u001F\\u007F-\\u009F\\u061C\\u200E\\u200F\\u2028-\\u202E\\u2066-\\u2069';

/** Whole-string pattern of text free of those characters (JSON Schema `pattern`). */
export const PLAIN_TEXT_PATTERN = `^[^${CONTROL_CHARACTER_CLASS}]*$`;

const CONTROL = new RegExp(`[${CONTROL_CHARACTER_CLASS}]`, 'gu');
const WHITESPACE_RUN = /\s{2,}/gu;

/** True when the text holds none of the characters above. */
export function isPlainText(value: string): boolean {
  CONTROL.lastIndex = 0;
  return !CONTROL.test(value);
}

/**
 * One line of plain text: every control, separator and bidi character becomes a space, runs of
 * whitespace collapse to one space, and the ends are trimmed. What a header (Subject, From) and
 * any operator text inside a message body go through: it can never start a new line.
 */
export function singleLine(value: string): string {
  return value.replace(CONTROL, ' ').replace(WHITESPACE_RUN, ' ').trim();
}

/**
 * Operator text as a plain-text message (SMS, text/plain e-mail) carries it: `singleLine`, and
 * `<` `>` become their full-width forms ＜ ＞, so that no viewer that renders markup (a web mail
 * preview, an operator's outbox screen) ever finds a tag in it, while the reader still sees the
 * brackets.
 */
export function messageText(value: string): string {
  return singleLine(value).replace(/</g, '＜').replace(/>/g, '＞');
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Operator text inside an HTML part (element content or a quoted attribute value). */
export function htmlText(value: string): string {
  return singleLine(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}
