import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withCheckDigit } from '../rules/ids.js';
import { isBuyersDocument, maskDocumentNumber, proxyDocumentProblem } from './documents.js';

const buyer = { nationalId: 'A123456789', arcNumber: null, cardNo: '000010000001' };
const resident = { nationalId: 'AC01234567', arcNumber: 'AC01234567', cardNo: '000010000002' };

describe('documents at the counter', () => {
  it('accepts the buyer’s ID card, NHI card and driver licence (whose number is the national ID)', () => {
    expect(isBuyersDocument({ type: 'id_card', number: 'a123456789' }, buyer)).toBe(true);
    expect(isBuyersDocument({ type: 'driver_license', number: 'A123456789' }, buyer)).toBe(true);
    expect(isBuyersDocument({ type: 'nhi_card', number: '000010000001' }, buyer)).toBe(true);
    expect(isBuyersDocument({ type: 'nhi_card', number: 'A123456789' }, buyer)).toBe(false);
    expect(isBuyersDocument({ type: 'id_card', number: '000010000001' }, buyer)).toBe(false);
    expect(isBuyersDocument({ type: 'nhi_card', number: '000010000001' }, { ...buyer, cardNo: null })).toBe(
      false,
    );
    expect(isBuyersDocument({ type: 'id_card', number: 'AC01234567' }, resident)).toBe(true);
  });

  it('refuses any other ID', () => {
    const stem = fc
      .tuple(
        fc.constantFrom(...'ABCDEFGHJKLMNPQRSTUVXYWZIO'),
        fc.constantFrom('1', '2'),
        fc.nat({ max: 9_999_999 }),
      )
      .map(([l, s, n]) => withCheckDigit(`${l}${s}${String(n).padStart(7, '0')}`));
    fc.assert(
      fc.property(stem, (id) => {
        expect(isBuyersDocument({ type: 'id_card', number: id }, buyer)).toBe(id === buyer.nationalId);
      }),
    );
  });

  it('wants a proxy’s own, well-formed document', () => {
    expect(proxyDocumentProblem({ type: 'id_card', number: 'F131104093' }, buyer)).toBeNull();
    expect(proxyDocumentProblem({ type: 'nhi_card', number: '123456789012' }, buyer)).toBeNull();
    expect(proxyDocumentProblem({ type: 'driver_license', number: 'A123456789' }, buyer)).toBe('is_buyer');
    expect(proxyDocumentProblem({ type: 'id_card', number: 'A123456788' }, buyer)).toBe('malformed');
    expect(proxyDocumentProblem({ type: 'nhi_card', number: '12345' }, buyer)).toBe('malformed');
    expect(maskDocumentNumber('f131104093')).toBe('F1****4093');
  });
});
