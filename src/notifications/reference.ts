import { pooledRandomBytes } from '../platform/random.js';
import type { SealedKind, Vault } from '../platform/vault.js';
import { canonicalRecipient, type RecipientChannel } from '../rules/recipient.js';

/**
 * Message references (查證碼, API.md v1.1 "Message verification", docs/NOTIFICATIONS.md): every
 * e-mail and SMS the platform queues carries one, and the recipient can check it together with
 * their phone number or e-mail address on the official site (`POST /api/v1/messages/verify`).
 *
 * Twelve symbols from an alphabet without look-alikes (no 0/O, 1/I/L), drawn from the operating
 * system's CSPRNG, written in three groups of four: `K7QX-3M9P-TR2D`. 31^12 ≈ 2^59.5, so a
 * reference cannot be guessed, and stays unique (`outbox.reference` is a unique key, migration
 * 0086) with a collision chance of about n²/2^60.5 among n messages.
 */
export const REFERENCE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const REFERENCE_SYMBOLS = 12;
const GROUP = 4;
/** Bytes below this are used (mod 31): 248 = 8 × 31, so every symbol is equally likely. */
const ACCEPT_BELOW = 256 - (256 % REFERENCE_ALPHABET.length);

/** How a message writes its reference: `查證碼：K7QX-3M9P-TR2D`. */
export const REFERENCE_LABEL = '查證碼：';

export function newMessageReference(): string {
  let symbols = '';
  while (symbols.length < REFERENCE_SYMBOLS) {
    for (const byte of pooledRandomBytes(16)) {
      if (byte >= ACCEPT_BELOW) continue;
      symbols += REFERENCE_ALPHABET[byte % REFERENCE_ALPHABET.length];
      if (symbols.length === REFERENCE_SYMBOLS) break;
    }
  }
  return group(symbols);
}

/** `n` new references at once (the draw's selection e-mails, a batch of bank notices). */
export function newMessageReferences(n: number): string[] {
  return Array.from({ length: n }, newMessageReference);
}

function group(symbols: string): string {
  const groups: string[] = [];
  for (let i = 0; i < symbols.length; i += GROUP) groups.push(symbols.slice(i, i + GROUP));
  return groups.join('-');
}

/**
 * API.md: a reference is 8 or more capital letters, digits and `-`. What a person typed is made
 * comparable first: trimmed, in capitals, without spaces; the dashes are put back where the
 * platform writes them, so `k7qx3m9ptr2d` and `K7QX - 3M9P - TR2D` are the same reference.
 * Null when it is not of that shape (a 400, not a failed check).
 */
export function normaliseReference(input: string): string | null {
  const text = input.trim().toUpperCase().replace(/\s+/g, '');
  if (text.length < 8 || text.length > 64 || !/^[A-Z0-9-]+$/.test(text)) return null;
  const symbols = text.replace(/-/g, '');
  if (symbols.length === 0) return null;
  // Any other length cannot be one of ours; it is still looked up, as a miss, like any wrong one.
  return symbols.length === REFERENCE_SYMBOLS ? group(symbols) : text;
}

/** The reference a message body carries after `查證碼：`, if any. */
export function referenceIn(body: string): string | undefined {
  return new RegExp(`${REFERENCE_LABEL}([A-Z0-9-]{8,})`).exec(body)?.[1];
}

/** The kind a recipient of `channel` is sealed and indexed as (src/platform/vault.ts). */
export function recipientKind(channel: RecipientChannel): SealedKind {
  return channel === 'sms' ? 'phone' : 'email';
}

/**
 * The keyed blind index of a recipient in its canonical form (src/rules/recipient.ts): what the
 * outbox keeps of a sent message's recipient, and what a check computes from what was typed.
 */
export function recipientIndex(vault: Vault, channel: RecipientChannel, to: string): Buffer {
  return vault.index(recipientKind(channel), canonicalRecipient(channel, to));
}
