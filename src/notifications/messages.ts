/**
 * Who sends the platform's messages and what they say (SPEC §8, seeds [ORD 22, 22.1, 22.2,
 * 24.3]; docs/NOTIFICATIONS.md). Every message names the official site, where the person can
 * check it, and none ever asks for money or personal data, so a fake one can be told apart.
 */

import { messageText } from '../platform/plain-text.js';

/** The official site that every message points to (the same as src/draw/draw-notice.ts). */
export const OFFICIAL_SITE = 'https://emask.taiwan.gov.tw';

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
  serial: string;
  store: { chain: string; name: string; address: string };
  pickupStartsOn: string;
  pickupEndsOn: string;
}

/**
 * SPEC §5: paid orders get an SMS with the pickup serial, the store and the pickup window. The
 * store's chain, name and address are operator text and go through `messageText` (one line, no
 * control or bidi characters, no markup; docs/SECURITY.md "Output hygiene"), whatever the row holds.
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
    `本簡訊僅由電信官方代表號發送，不會要求匯款或提供個資；請至 ${OFFICIAL_SITE} 查詢核對訂單。`,
  ].join('\n');
}
