/**
 * The canonical form of a message's recipient (docs/NOTIFICATIONS.md "Checking a message"): what
 * the blind index of a sent message's recipient is computed from, and what a person's typed
 * phone number or e-mail address is turned into before it is compared. Pure functions, no I/O.
 */

/** A Taiwan mobile number as orders store it: 09 and 8 more digits. */
const MOBILE = /^09[0-9]{8}$/;
/** Just enough of an address to be one: something, @, a domain with a dot; no spaces. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * A Taiwan mobile number however it is written (`0912-345-678`, `0912 345 678`,
 * `+886 912 345 678`, `+886-0912…`, `00886912345678`, `(09)12345678`) as `0912345678`, or null
 * when it is not one.
 */
export function canonicalPhone(input: string): string | null {
  let digits = input.trim().replace(/[\s\-().]/g, '');
  if (digits.startsWith('+886')) digits = digits.slice(4);
  else if (digits.startsWith('00886')) digits = digits.slice(5);
  else if (digits.startsWith('886') && digits.length >= 12) digits = digits.slice(3);
  if (!digits.startsWith('0')) digits = `0${digits}`;
  return MOBILE.test(digits) ? digits : null;
}

/** An e-mail address trimmed and in lower case, or null when it is not one (at most 254 characters). */
export function canonicalEmail(input: string): string | null {
  const address = input.trim().toLowerCase();
  return address.length <= 254 && EMAIL.test(address) ? address : null;
}

export type RecipientChannel = 'email' | 'sms';

/** What a person typed as "my phone number or e-mail address": an `@` makes it an address. */
export function parseRecipient(input: string): { channel: RecipientChannel; canonical: string } | null {
  if (input.includes('@')) {
    const canonical = canonicalEmail(input);
    return canonical ? { channel: 'email', canonical } : null;
  }
  const canonical = canonicalPhone(input);
  return canonical ? { channel: 'sms', canonical } : null;
}

/**
 * The canonical form of a stored recipient of `channel`; a value that does not parse (none the
 * platform queues) is kept trimmed, so it still gets an index that nothing typed will match.
 */
export function canonicalRecipient(channel: RecipientChannel, to: string): string {
  return (channel === 'sms' ? canonicalPhone(to) : canonicalEmail(to)) ?? to.trim();
}
