import { NEVER_DOES, NEVER_DOES_EN, OFFICIAL_SITE, VERIFY_URL } from '../notifications/messages.js';
import { REFERENCE_LABEL } from '../notifications/reference.js';
import { messageText } from '../platform/plain-text.js';
import { toTaipeiIso } from '../rules/taipei-date.js';

/** The official eMask site people are told to check (seeds [ORD 14.1, 22.1]). */
export { OFFICIAL_SITE };
/** The official sender of "selected" e-mails; fakes are told apart by sender and content [ORD 22, 22.1]. */
export const OFFICIAL_EMAIL_SENDER = 'emask@nhi.gov.tw';

/** Placeholders the draw fills in per order, in SQL, when it enqueues the e-mails in bulk. */
export const ORDER_ID_PLACEHOLDER = '{orderId}';
export const AMOUNT_PLACEHOLDER = '{amount}';
/** Each e-mail's own reference (查證碼), drawn when the template is expanded into outbox rows. */
export const REFERENCE_PLACEHOLDER = '{reference}';

function minutes(instant: Date): string {
  return toTaipeiIso(instant).slice(0, 16).replace('T', ' ');
}

/**
 * The "you were selected, please pay" e-mail (SPEC §5, §8; seeds [ORD 22.1, 22.2, 24.1 note]),
 * in Traditional Chinese and English. It tells the person to look up their personal payment
 * account ON THE OFFICIAL SITE: it never carries the account number nor a payment link, and it
 * says the platform never phones, never asks for a transfer by SMS and never sends a payment
 * link, so a fake asking for money stands out. It names the order id and carries its own
 * reference (查證碼, filled in per e-mail like the order id), which the person can check on the
 * official site's verification page. The round's name is operator text and goes through
 * `messageText` (one line, no control or bidi characters, no markup; docs/SECURITY.md "Output
 * hygiene").
 */
export function selectedEmail(
  round: { name: string; paymentOpensAt: Date; paymentClosesAt: Date },
  /** The bank holding the personal accounts (PAYMENT_BANK_*): named, the account itself never is. */
  bank: { code: string; name: string },
): {
  subject: string;
  body: string;
  /** What the verification page says this e-mail was (no personal data beyond the order id it names). */
  summary: string;
} {
  const opens = minutes(round.paymentOpensAt);
  const closes = minutes(round.paymentClosesAt);
  const roundName = messageText(round.name);
  const bankName = messageText(bank.name);
  const subject = `【eMask 口罩預購】訂單 ${ORDER_ID_PLACEHOLDER} 已獲選，請至官網查詢繳費帳號 / Order ${ORDER_ID_PLACEHOLDER} selected: look up your payment account on the official site`;
  const body = [
    '您好：',
    '',
    `您在「${roundName}」網路預購的成人口罩（訂單編號 ${ORDER_ID_PLACEHOLDER}）已獲選。`,
    `請於 ${opens} 至 ${closes}（臺灣時間）之間，自行開啟 eMask 口罩預購系統官方網站：`,
    OFFICIAL_SITE,
    '以健保卡或自然人憑證登入，或輸入身分證字號及手機末三碼，查詢您的個人專屬匯款帳號後繳費',
    `NT$${AMOUNT_PLACEHOLDER}。逾期未繳費視同放棄，無法補繳。`,
    `ATM 轉帳請轉入${bankName}（銀行代碼 ${bank.code}）的個人專屬帳號。`,
    '',
    '本信不含匯款帳號，也不含任何付款連結。',
    NEVER_DOES,
    '如接獲自稱本平台或健保署的電話、簡訊或付款連結，請撥 165 反詐騙諮詢專線。',
    '',
    `${REFERENCE_LABEL}${REFERENCE_PLACEHOLDER}`,
    `要確認本信確實由本平台寄出，請自行開啟 ${VERIFY_URL} ，輸入查證碼及收到本信的電子郵件地址。`,
    '',
    '---',
    '',
    `Your eMask pre-order of adult masks for "${roundName}" (order no. ${ORDER_ID_PLACEHOLDER}) has been selected.`,
    `Between ${opens} and ${closes} (Taiwan time), open the official eMask site ${OFFICIAL_SITE} yourself,`,
    'sign in with your NHI card or Citizen Digital Certificate, or enter your ID number and the last',
    `3 digits of your mobile number, to see your personal payment account, then pay NT$${AMOUNT_PLACEHOLDER}.`,
    'Orders not paid in time are given up; late payment is not possible.',
    `An ATM transfer goes to your personal account at ${bankName} (bank code ${bank.code}).`,
    '',
    `This e-mail contains no account number and no payment link. ${NEVER_DOES_EN}`,
    'If someone calls, texts or sends a payment link in our name, call the 165 anti-fraud hotline.',
    '',
    `Reference: ${REFERENCE_PLACEHOLDER}. To check that this e-mail really comes from us, open`,
    `${VERIFY_URL} yourself and enter the reference with the e-mail address it was sent to.`,
    '',
    `衛生福利部中央健康保險署 eMask 口罩預購系統 ${OFFICIAL_SITE}`,
  ].join('\n');
  const summary = `eMask 口罩預購獲選通知：訂單 ${ORDER_ID_PLACEHOLDER}，請至官網查詢繳費帳號 / eMask pre-order selected: order ${ORDER_ID_PLACEHOLDER}, look up the payment account on the official site`;
  return { subject, body, summary };
}
