import type { Db } from '../platform/db.js';
import type { Vault } from '../platform/vault.js';
import { takeChallenge, verifyEd25519 } from './challenges.js';
import { type CurrentCard, findCurrentCard } from './identity.repo.js';

export interface CardProof {
  cardNo: string;
  challengeId: string;
  signature: string;
}

/**
 * The card is present: its valid (not revoked) key signed this challenge's nonce. Uses the
 * challenge up whatever the outcome, so a signature can never be tried twice against one nonce.
 * Null when the challenge, the card or the signature is not good.
 */
export async function provenCard(
  db: Db,
  vault: Vault,
  proof: CardProof,
  now: Date,
): Promise<CurrentCard | null> {
  const nonce = await takeChallenge(db, vault, proof.challengeId, now);
  if (nonce === null) return null;
  const card = await findCurrentCard(db, proof.cardNo);
  if (!card || !verifyEd25519(card.publicKeyPem, nonce, proof.signature)) return null;
  return card;
}
