import { consumeChallenge, verifyEd25519 } from '../identity/challenges.js';
import type { Db } from '../platform/db.js';
import { AppError } from '../platform/errors.js';
import type { Vault } from '../platform/vault.js';
import { type CardHolder, findValidCard } from '../purchases/buyers.repo.js';

/** What a POS sends to show the buyer's NHI card is in its reader (API.md "Cryptography"). */
export interface CardPresence {
  cardNo: string;
  challengeId: string;
  cardSignature: string;
}

const cardNotPresent = () =>
  new AppError(
    'CARD_NOT_PRESENT',
    "The card's signature does not prove it is here: read the card again with a new challenge.",
  );

/**
 * The buyer's card is known, valid and here (SPEC §4), for the sale and the eligibility check
 * alike:
 * 1. the card is known and not replaced by a reissue     → 404 UNKNOWN_CARD
 * 2. it signed a fresh, unused challenge of this platform → 422 CARD_NOT_PRESENT
 * Nothing about the person is revealed before step 2 passes. The challenge is used up in the
 * caller's transaction: by a sale or a check that goes on, even when it then refuses.
 */
export async function presentCard(
  db: Db,
  vault: Vault,
  presence: CardPresence,
  now: Date,
): Promise<CardHolder> {
  const card = await findValidCard(db, presence.cardNo);
  if (!card) throw new AppError('UNKNOWN_CARD', 'This card is not known or is no longer valid.');
  const nonce = await consumeChallenge(db, vault, presence.challengeId, now, cardNotPresent);
  if (!verifyEd25519(card.publicKeyPem, nonce, presence.cardSignature)) throw cardNotPresent();
  return card;
}
