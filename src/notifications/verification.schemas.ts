import { Type } from 'typebox';

/**
 * `POST /api/v1/messages/verify` (API.md v1.1 "Message verification"). Shapes are checked here
 * loosely (strings of bounded length) and precisely in src/notifications/verify-message.ts,
 * after normalising: a reference of 8 or more capital letters, digits and `-` (any case,
 * spaces allowed), a Taiwan mobile number in any usual writing or an e-mail address.
 */
export const VerifyMessageBody = Type.Object({
  reference: Type.String({
    minLength: 1,
    maxLength: 80,
    description:
      'The reference the message carries after 查證碼：, e.g. K7QX-3M9P-TR2D (case and spaces do not matter)',
  }),
  recipient: Type.String({
    minLength: 1,
    maxLength: 320,
    description:
      'The phone number (0912-345-678, +886 912 345 678, …) or e-mail address (any case) the message came to',
  }),
});

export const VerdictView = Type.Union([
  Type.Object({
    genuine: Type.Literal(true),
    channel: Type.Union([Type.Literal('email'), Type.Literal('sms')]),
    sentAt: Type.String({
      format: 'date-time',
      description: 'When the mail server or SMS gateway accepted it',
    }),
    summary: Type.String({ description: 'What the message was (its kind; no personal data)' }),
  }),
  Type.Object({ genuine: Type.Literal(false) }),
]);
