import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { bucket, type Limit, reserveTry } from '../platform/rate-limit.js';
import { parseRecipient } from '../rules/recipient.js';
import { toTaipeiIso } from '../rules/taipei-date.js';
import { normaliseReference, recipientKind } from './reference.js';
import { sentMessage } from './verification.repo.js';

const HOUR_MS = 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;
/** Like the order look-up (API.md `POST /orders/lookup`): failed checks per recipient an hour, per address a minute. */
export const VERIFY_FAILURES_PER_RECIPIENT_PER_HOUR = 10;
export const VERIFY_FAILURES_PER_ADDRESS_PER_MINUTE = 30;

export type Verdict =
  | { genuine: true; channel: 'email' | 'sms'; sentAt: string; summary: string }
  | { genuine: false };

/**
 * Did the platform send this message? (API.md v1.1 "Message verification", SPEC §8, seeds
 * [ORD 22.1]; docs/NOTIFICATIONS.md "Checking a message".) The reference the message carries
 * and the phone number or e-mail address it came to, both normalised, are looked up together:
 * genuine only when the platform sent a message with that reference to that recipient.
 * - Any other pair answers `{genuine: false}`, the same body whichever half is wrong, after the
 *   same work (the recipient's blind index is computed, the limits reserved, one query run,
 *   the try counted).
 * - Failed checks are limited per recipient (its blind index, hashed again in the bucket name)
 *   and per client address. The try is reserved atomically before the look-up
 *   (src/platform/rate-limit.ts `reserveTry`), so however many arrive at once, at most the limit
 *   are evaluated as failures; once a limit is full every check is 429 until the window passes,
 *   a right pair too. A genuine check is not counted.
 * Only the message's channel, sending time and summary are answered: nothing the recipient
 * does not already have.
 */
export async function verifyMessage(
  input: { reference: string; recipient: string; clientAddress: string },
  deps: Deps,
): Promise<Verdict> {
  const reference = normaliseReference(input.reference);
  const recipient = parseRecipient(input.recipient);
  const fields = [
    ...(reference
      ? []
      : [{ field: 'body/reference', problem: 'must be 8 or more capital letters, digits and -' }]),
    ...(recipient
      ? []
      : [{ field: 'body/recipient', problem: 'must be a Taiwan mobile number or an e-mail address' }]),
  ];
  if (!reference || !recipient) {
    throw new AppError(
      'VALIDATION_FAILED',
      `Invalid request: ${fields.map((f) => `${f.field} ${f.problem}`).join('; ')}`,
      { fields },
    );
  }
  const now = deps.clock.now();
  const index = deps.vault.index(recipientKind(recipient.channel), recipient.canonical);
  const limits: Limit[] = [
    {
      bucket: bucket('verify-recipient', index.toString('hex')),
      max: VERIFY_FAILURES_PER_RECIPIENT_PER_HOUR,
      windowMs: HOUR_MS,
    },
    {
      bucket: bucket('verify-addr', input.clientAddress),
      max: VERIFY_FAILURES_PER_ADDRESS_PER_MINUTE,
      windowMs: MINUTE_MS,
    },
  ];
  const attempt = await reserveTry(deps.sql, limits, now);
  const sent = await sentMessage(deps.sql, reference, recipient.channel, index);
  if (!sent) {
    await attempt.failed();
    return { genuine: false };
  }
  await attempt.succeeded();
  return { genuine: true, channel: sent.channel, sentAt: toTaipeiIso(sent.sentAt), summary: sent.summary };
}
