import { messageText } from '../platform/plain-text.js';
import { toTaipeiIso } from '../rules/taipei-date.js';

/** The official eMask site people are told to check (seeds [ORD 14.1, 22.1]). */
export const OFFICIAL_SITE = 'https://emask.taiwan.gov.tw';
/** The official sender of "selected" e-mails; fakes are told apart by sender and content [ORD 22, 22.1]. */
export const OFFICIAL_EMAIL_SENDER = 'emask@nhi.gov.tw';

/** Placeholders the draw fills in per order, in SQL, when it enqueues the e-mails in bulk. */
export const ORDER_ID_PLACEHOLDER = '{orderId}';
export const AMOUNT_PLACEHOLDER = '{amount}';

function minutes(instant: Date): string {
  return toTaipeiIso(instant).slice(0, 16).replace('T', ' ');
}

/**
 * The "you were selected, please pay" e-mail (SPEC §5, §8; seeds [ORD 22.1, 22.2, 24.1 note]),
 * in Traditional Chinese and English. It tells the person to look up their personal payment
 * account ON THE OFFICIAL SITE: it never carries the account number nor a payment link, and it
 * says the programme never phones or texts for payment, so a fake asking for money stands out.
 * It names the order id, which the person can check on the official site. The round's name is
 * operator text and goes through `messageText` (one line, no control or bidi characters, no
 * markup; docs/SECURITY.md "Output hygiene").
 */
export function selectedEmail(round: { name: string; paymentOpensAt: Date; paymentClosesAt: Date }): {
  subject: string;
  body: string;
} {
  const opens = minutes(round.paymentOpensAt);
  const closes = minutes(round.paymentClosesAt);
  const roundName = messageText(round.name);
  const subject = `【eMask 口罩預購】訂單 ${ORDER_ID_PLACEHOLDER} 已獲選，請至官網查詢繳費帳號 / Order ${ORDER_ID_PLACEHOLDER} selected: look up your payment account on the official site`;
  const body = [
    '您好：',
    '',
    `您在「${roundName}」網路預購的成人口罩（訂單編號 ${ORDER_ID_PLACEHOLDER}）已獲選。`,
    `請於 ${opens} 至 ${closes}（臺灣時間）之間，自行開啟 eMask 口罩預購系統官方網站：`,
    OFFICIAL_SITE,
    '以健保卡或自然人憑證登入，或輸入身分證字號及手機末三碼，查詢您的個人專屬匯款帳號後繳費',
    `NT$${AMOUNT_PLACEHOLDER}。逾期未繳費視同放棄，無法補繳。`,
    '',
    '本信不含匯款帳號，也不含任何付款連結。健保署不會以電話或簡訊要求您匯款；',
    '如接獲此類電話或訊息，請撥 165 反詐騙專線查證。',
    '',
    '---',
    '',
    `Your eMask pre-order of adult masks for "${roundName}" (order no. ${ORDER_ID_PLACEHOLDER}) has been selected.`,
    `Between ${opens} and ${closes} (Taiwan time), open the official eMask site ${OFFICIAL_SITE} yourself,`,
    'sign in with your NHI card or Citizen Digital Certificate, or enter your ID number and the last',
    `3 digits of your mobile number, to see your personal payment account, then pay NT$${AMOUNT_PLACEHOLDER}.`,
    'Orders not paid in time are given up; late payment is not possible.',
    '',
    'This e-mail contains no account number and no payment link. The NHIA never asks for payment',
    'by phone or text message; if someone does, call the 165 anti-fraud hotline.',
    '',
    `衛生福利部中央健康保險署 eMask 口罩預購系統 ${OFFICIAL_SITE}`,
  ].join('\n');
  return { subject, body };
}
