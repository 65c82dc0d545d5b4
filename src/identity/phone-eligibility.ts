import { isArcNumber, isNationalId } from '../rules/ids.js';
import type { Subscriber } from './telecom.js';

export type PhoneRefusal =
  | 'PHONE_UNKNOWN'
  | 'PHONE_CARRIER_NOT_SUPPORTED'
  | 'PHONE_MVNO'
  | 'PHONE_PREPAID'
  | 'PHONE_PARENT_CHILD_PLAN'
  | 'PHONE_CORPORATE'
  | 'PHONE_FOREIGN_HOLDER'
  | 'PHONE_NOT_OWNER'
  | 'PHONE_SUSPENDED'
  | 'PHONE_NO_MOBILE_DATA';

/**
 * The order in which refusals are reported when several apply (docs/IDENTITY.md): first what
 * nobody can change about this number (carrier, plan), then who holds it, then what the person
 * can fix (pay the bill, add mobile data). So the reason shown is one that fixing any other
 * would not clear.
 */
export const PHONE_REFUSAL_PRECEDENCE: readonly PhoneRefusal[] = [
  'PHONE_UNKNOWN',
  'PHONE_CARRIER_NOT_SUPPORTED',
  'PHONE_MVNO',
  'PHONE_PREPAID',
  'PHONE_PARENT_CHILD_PLAN',
  'PHONE_CORPORATE',
  'PHONE_FOREIGN_HOLDER',
  'PHONE_NOT_OWNER',
  'PHONE_SUSPENDED',
  'PHONE_NO_MOBILE_DATA',
];

export const PHONE_REFUSAL_MESSAGES: Record<PhoneRefusal, string> = {
  PHONE_UNKNOWN: 'The telecom does not know this number.',
  PHONE_CARRIER_NOT_SUPPORTED:
    'The phone check works only for numbers of the five major carriers (CHT, FET, TWM, T Star, APTG).',
  PHONE_MVNO: 'Numbers of virtual operators (MVNO, 二類電信) cannot use the phone check.',
  PHONE_PREPAID: 'Prepaid numbers cannot use the phone check; it needs a monthly plan in your own name.',
  PHONE_PARENT_CHILD_PLAN: 'Parent-child plan numbers (親子卡) cannot use the phone check.',
  PHONE_CORPORATE: 'Company numbers cannot use the phone check; it needs a number in your own name.',
  PHONE_FOREIGN_HOLDER:
    'The phone check is for nationals with a number in their own name; foreign residents bind their phone with a device code or at an NHI counter.',
  PHONE_NOT_OWNER: 'This number is not registered in the name of the ID you entered.',
  PHONE_SUSPENDED:
    'This number is suspended or in arrears; settle it with your carrier, or bind the phone with a device code.',
  PHONE_NO_MOBILE_DATA:
    'This number has no mobile data plan; the phone check needs mobile data (4G, Wi-Fi off).',
};

/** What the person claims, as far as the telecom answer is concerned. */
export interface PhoneClaim {
  /** The ID typed in, upper-cased. */
  nationalId: string;
  /** The platform's record of that person says foreign (null when the ID is not known). */
  personIsForeign: boolean | null;
}

/** Taiwan company number (統一編號): eight digits. */
const COMPANY_NO = /^\d{8}$/;

function applies(reason: PhoneRefusal, s: Subscriber, claim: PhoneClaim): boolean {
  switch (reason) {
    case 'PHONE_UNKNOWN':
      return false; // decided before: no subscriber at all
    case 'PHONE_CARRIER_NOT_SUPPORTED':
      return s.carrier === 'OTHER';
    case 'PHONE_MVNO':
      return s.carrier === 'MVNO';
    case 'PHONE_PREPAID':
      return s.plan === 'prepaid';
    case 'PHONE_PARENT_CHILD_PLAN':
      return s.plan === 'parent_child';
    case 'PHONE_CORPORATE':
      return s.plan === 'corporate' || COMPANY_NO.test(s.ownerId);
    case 'PHONE_FOREIGN_HOLDER':
      // [ID 5, 5.2 item 3]: held by a foreigner (an ARC or any non-national ID), or a foreign
      // person asking: the phone check is for nationals only.
      return (
        !isNationalId(s.ownerId) ||
        isArcNumber(claim.nationalId) ||
        !isNationalId(claim.nationalId) ||
        claim.personIsForeign === true
      );
    case 'PHONE_NOT_OWNER':
      return s.ownerId !== claim.nationalId;
    case 'PHONE_SUSPENDED':
      return s.status === 'suspended' || s.status === 'arrears';
    case 'PHONE_NO_MOBILE_DATA':
      return !s.mobileData;
  }
}

/**
 * SPEC §2, seeds [ID 2, 4, 5, 5.2, 10]: may this number pass the phone check for this person?
 * Returns the first refusal in PHONE_REFUSAL_PRECEDENCE that applies, or null.
 */
export function phoneRefusal(subscriber: Subscriber | null, claim: PhoneClaim): PhoneRefusal | null {
  if (!subscriber) return 'PHONE_UNKNOWN';
  for (const reason of PHONE_REFUSAL_PRECEDENCE) {
    if (applies(reason, subscriber, claim)) return reason;
  }
  return null;
}
