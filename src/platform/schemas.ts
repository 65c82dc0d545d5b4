import { type TString, Type } from 'typebox';
import { PLAIN_TEXT_PATTERN } from './plain-text.js';

/**
 * Text an operator types for others to read (a pharmacy's, store's or counter's name, address,
 * phone, a round's name, a card holder's name): 1 to `maxLength` characters, none of them a
 * control, line-separator or bidi-control character (src/platform/plain-text.ts). A value with one
 * is refused with 400 VALIDATION_FAILED naming the field, before anything is stored.
 */
export function PlainText(options: { maxLength: number; minLength?: number; description?: string }): TString {
  return Type.String({
    minLength: options.minLength ?? 1,
    maxLength: options.maxLength,
    pattern: PLAIN_TEXT_PATTERN,
    description:
      options.description ??
      'plain text: no control characters (CR, LF, TAB, DEL, C0/C1), no U+2028/2029, no bidi controls',
  });
}
