import type { App } from '../platform/app-type.js';
import type { Deps } from '../platform/deps.js';
import { noStore } from '../platform/no-store.js';
import { VerdictView, VerifyMessageBody } from './verification.schemas.js';
import {
  VERIFY_FAILURES_PER_ADDRESS_PER_MINUTE,
  VERIFY_FAILURES_PER_RECIPIENT_PER_HOUR,
  verifyMessage,
} from './verify-message.js';

/** Public check of a message's reference (API.md v1.1 "Message verification"; the site's /verify page). */
export async function verificationRoutes(app: App, deps: Deps): Promise<void> {
  app.post(
    '/api/v1/messages/verify',
    {
      // Every answer, refusals included, is about one person's messages: never cached.
      ...noStore,
      schema: {
        tags: ['public'],
        summary: 'Check that an e-mail or SMS really came from the platform',
        description: [
          'Every e-mail and SMS the platform sends carries a reference, written in its body as',
          '`查證碼：` and the reference (e.g. `K7QX-3M9P-TR2D`). Give it with the phone number or',
          'e-mail address the message came to: `{"genuine": true, "channel", "sentAt", "summary"}`',
          'when the platform sent a message with that reference to that recipient (`sentAt`: when',
          'the mail server or SMS gateway accepted it), otherwise `{"genuine": false}`, the same',
          'answer whichever half is wrong. The reference is compared without case or spaces; phone',
          'numbers in any usual writing (`0912-345-678`, `+886 912 345 678`), e-mail addresses',
          'without case. A reference or recipient of another shape is 400 `VALIDATION_FAILED`.',
          `Failed checks are limited like the order look-up: after ${VERIFY_FAILURES_PER_RECIPIENT_PER_HOUR}`,
          `failed checks for one recipient within an hour, or ${VERIFY_FAILURES_PER_ADDRESS_PER_MINUTE} a minute from one`,
          'client address, every check is 429 `TOO_MANY_REQUESTS` with `Retry-After` until the window',
          'passes, however many arrive at once; genuine checks are not counted. Answers carry',
          '`Cache-Control: no-store`. The platform never phones, never asks for a transfer by SMS and',
          'never sends a payment link: a message that does is a fake (165 anti-fraud hotline).',
        ].join(' '),
        body: VerifyMessageBody,
        response: { 200: VerdictView },
      },
    },
    async (request) => verifyMessage({ ...request.body, clientAddress: request.ip }, deps),
  );
}
