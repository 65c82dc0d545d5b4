import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withCheckDigit } from '../rules/ids.js';
import { PHONE_REFUSAL_PRECEDENCE, type PhoneClaim, phoneRefusal } from './phone-eligibility.js';
import { CARRIERS, LINE_STATUSES, PLANS, type Subscriber } from './telecom.js';

const ME = 'A123456789';
const OTHER = 'F131104093';
const ARC = withCheckDigit('A80000001');
const good: Subscriber = {
  phone: '0912345678',
  carrier: 'CHT',
  plan: 'monthly',
  ownerId: ME,
  status: 'active',
  mobileData: true,
};
const claim: PhoneClaim = { nationalId: ME, personIsForeign: false };

describe('phone check refusals (SPEC §2, [ID 5.2])', () => {
  it('accepts an own-name monthly plan with data on a major carrier', () => {
    for (const carrier of ['CHT', 'FET', 'TWM', 'TSTAR', 'APTG'] as const) {
      expect(phoneRefusal({ ...good, carrier }, claim)).toBeNull();
    }
  });

  it('names each case of [ID 5.2] with its own code', () => {
    const cases: [Partial<Subscriber> | null, string, Partial<PhoneClaim>?][] = [
      [null, 'PHONE_UNKNOWN'],
      [{ carrier: 'OTHER' }, 'PHONE_CARRIER_NOT_SUPPORTED'],
      [{ carrier: 'MVNO' }, 'PHONE_MVNO'],
      [{ plan: 'prepaid' }, 'PHONE_PREPAID'],
      [{ plan: 'parent_child' }, 'PHONE_PARENT_CHILD_PLAN'],
      [{ plan: 'corporate' }, 'PHONE_CORPORATE'],
      [{ ownerId: '12345678' }, 'PHONE_CORPORATE'],
      [{ ownerId: ARC }, 'PHONE_FOREIGN_HOLDER'],
      [{ ownerId: ARC }, 'PHONE_FOREIGN_HOLDER', { nationalId: ARC }],
      [{}, 'PHONE_FOREIGN_HOLDER', { personIsForeign: true }],
      [{ ownerId: OTHER }, 'PHONE_NOT_OWNER'],
      [{ status: 'suspended' }, 'PHONE_SUSPENDED'],
      [{ status: 'arrears' }, 'PHONE_SUSPENDED'],
      [{ mobileData: false }, 'PHONE_NO_MOBILE_DATA'],
    ];
    for (const [change, code, claimChange] of cases) {
      const subscriber = change === null ? null : { ...good, ...change };
      expect(phoneRefusal(subscriber, { ...claim, ...claimChange })).toBe(code);
    }
  });

  const subscriberArb = fc.record({
    phone: fc.constant('0912345678'),
    carrier: fc.constantFrom(...CARRIERS),
    plan: fc.constantFrom(...PLANS),
    ownerId: fc.constantFrom(ME, OTHER, ARC, '12345678'),
    status: fc.constantFrom(...LINE_STATUSES),
    mobileData: fc.boolean(),
  });
  const claimArb = fc.record({
    nationalId: fc.constantFrom(ME, OTHER, ARC),
    personIsForeign: fc.constantFrom(true, false, null),
  });

  it('refuses nothing exactly when every condition of [ID 10] holds', () => {
    fc.assert(
      fc.property(subscriberArb, claimArb, (s, c) => {
        const eligible =
          ['CHT', 'FET', 'TWM', 'TSTAR', 'APTG'].includes(s.carrier) &&
          s.plan === 'monthly' &&
          s.ownerId === c.nationalId &&
          c.nationalId !== ARC &&
          c.personIsForeign !== true &&
          s.status === 'active' &&
          s.mobileData;
        expect(phoneRefusal(s, c) === null).toBe(eligible);
      }),
    );
  });

  it('reports a reason that fixing any later-ranked fact would not clear', () => {
    const rank = (r: string | null) => (r === null ? Infinity : PHONE_REFUSAL_PRECEDENCE.indexOf(r as never));
    fc.assert(
      fc.property(
        subscriberArb,
        claimArb,
        fc.constantFrom(...LINE_STATUSES),
        fc.boolean(),
        (s, c, status, mobileData) => {
          const before = phoneRefusal(s, c);
          // status and mobile data are the last-ranked facts: changing them never changes an earlier reason
          const after = phoneRefusal({ ...s, status, mobileData }, c);
          if (rank(before) < rank('PHONE_SUSPENDED')) expect(after).toBe(before);
        },
      ),
    );
  });
});
