import { messageText } from '../platform/plain-text.js';
import { REFERENCE_LABEL } from './reference.js';

/**
 * Who sends the platform's messages and what they say (SPEC §8, seeds [ORD 22, 22.1, 22.2,
 * 24.3]; docs/NOTIFICATIONS.md). Every message carries a reference (查證碼, src/notifications/
 * reference.ts) that the recipient can check on the official site's verification page, says
 * that the platform never phones, never asks for a transfer by SMS and never sends a payment
 * link, and none ever asks for money or personal data, so a fake one can be told apart.
 */

/** The official site that every message points to. */
export const OFFICIAL_SITE = 'https://emask.taiwan.gov.tw';

/** The site's page where a message's reference is checked (web/src/pages/VerifyPage.tsx). */
export const VERIFY_PATH = '/verify';
export const VERIFY_URL = `${OFFICIAL_SITE}${VERIFY_PATH}`;

/** What the platform never does, in every message (seeds [ORD 22.1]: fakes asked for exactly that). */
export const NEVER_DOES = '本平台不會來電、不會以簡訊要求匯款，也不會傳送付款連結。';
export const NEVER_DOES_EN =
  'We never phone you, never ask for a transfer by text message and never send a payment link.';

/** Domain of the Message-IDs the platform gives its e-mails (`<outbox-<id>@…>`). */
export const MAIL_DOMAIN = 'emask.taiwan.gov.tw';

/**
 * Sender of the pickup-serial SMS. Seeds [ORD 24.3]: the SMS comes only from the official
 * numbers of the five major carriers; the list in our copy of the seeds is cut off after
 * 中華電信代表號, so the platform sends from one documented official number (CHT's) and the
 * SMS gateway is trusted to present it; see docs/NOTIFICATIONS.md.
 */
export const PICKUP_SMS_SENDER = '0911510914';

const monthDay = (day: string): string => {
  const [, m, d] = day.split('-');
  return `${Number(m)}/${Number(d)}`;
};

export interface PickupSmsInput {
  /** The message's reference (newMessageReference), also stored with it in the outbox. */
  reference: string;
  serial: string;
  store: { chain: string; name: string; address: string };
  pickupStartsOn: string;
  pickupEndsOn: string;
}

/**
 * The last lines of every SMS: its reference, where to check it, and what the platform never
 * does. The URL stands between spaces, so no phone takes the following text into the link.
 */
export function smsVerificationLines(reference: string): string[] {
  return [`${REFERENCE_LABEL}${reference}，請至 ${VERIFY_URL} 查證。`, NEVER_DOES];
}

/** What the verification page says a pickup-serial SMS was (no personal data). */
export const PICKUP_SMS_SUMMARY =
  'eMask 口罩預購付款完成通知：取貨序號已寄送 / eMask pre-order paid: pickup serial sent';

/**
 * SPEC §5: paid orders get an SMS with the pickup serial, the store and the pickup window, then
 * its reference. Five lines, about 230 characters with a usual store: four concatenated UCS-2
 * segments (67 characters each), which every carrier delivers as one message. The store's
 * chain, name and address are operator text and go through `messageText` (one line, no control
 * or bidi characters, no markup; docs/SECURITY.md "Output hygiene"), whatever the row holds.
 */
export function pickupSerialSms(input: PickupSmsInput): string {
  const store = {
    chain: messageText(input.store.chain),
    name: messageText(input.store.name),
    address: messageText(input.store.address),
  };
  return [
    `【eMask口罩預購】您已完成付款。取貨序號：${input.serial}`,
    `取貨門市：${store.chain} ${store.name}（${store.address}）`,
    `取貨期間：${monthDay(input.pickupStartsOn)}–${monthDay(input.pickupEndsOn)}，逾期未取視同放棄，不可補領亦無法退款。`,
    '請持序號至門市機台列印取貨單，並出示身分證、健保卡或駕照擇一。',
    ...smsVerificationLines(input.reference),
  ].join('\n');
}
