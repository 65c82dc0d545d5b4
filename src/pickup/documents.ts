import { idKind, isNhiCardNo, maskId } from '../rules/ids.js';

/** The ID documents a store clerk accepts (seeds [ORD 6]: ID card, NHI card or driver licence). */
export type DocumentType = 'id_card' | 'nhi_card' | 'driver_license';

export interface ShownDocument {
  type: DocumentType;
  number: string;
}

export interface Buyer {
  /** National ID, or the resident certificate number of a foreign resident (API.md). */
  nationalId: string;
  arcNumber: string | null;
  /** The person's current (not revoked) NHI card, if any. */
  cardNo: string | null;
}

const clean = (number: string) => number.trim().toUpperCase().replace(/[\s-]/g, '');

/**
 * Whether a document is the buyer's: an ID card shows the national ID (a foreign resident's
 * resident certificate its ARC number); a Taiwanese driver licence's number is the holder's
 * national ID; an NHI card shows the 12-digit number of the person's current card.
 */
export function isBuyersDocument(doc: ShownDocument, buyer: Buyer): boolean {
  const number = clean(doc.number);
  if (doc.type === 'nhi_card') return buyer.cardNo !== null && number === buyer.cardNo;
  return number === buyer.nationalId || (buyer.arcNumber !== null && number === buyer.arcNumber);
}

/** A document number of the right shape for its type (check digit included for IDs). */
export function isWellFormedDocument(doc: ShownDocument): boolean {
  const number = clean(doc.number);
  return doc.type === 'nhi_card' ? isNhiCardNo(number) : idKind(number) !== null;
}

/**
 * A proxy collects with the buyer's serial and document plus their own document (seeds
 * [ORD 9, 10]): it must be a well-formed document and not the buyer's. Null when acceptable.
 */
export function proxyDocumentProblem(doc: ShownDocument, buyer: Buyer): 'malformed' | 'is_buyer' | null {
  if (!isWellFormedDocument(doc)) return 'malformed';
  if (isBuyersDocument(doc, buyer)) return 'is_buyer';
  return null;
}

/** What is kept of a proxy's document number: A123456789 → A1****6789. */
export function maskDocumentNumber(number: string): string {
  return maskId(clean(number));
}
