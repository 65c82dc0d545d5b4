import { provenHolder } from '../identity/card-presence.js';
import { takeChallenge } from '../identity/challenges.js';
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

/**
 * The buyer's card is known, valid and here (SPEC §4), for the eligibility check: the checks and
 * refusals of src/identity/card-presence.ts, which a sale batch makes too (sell-at-pharmacy.ts).
 * The challenge is used up in the caller's transaction, and only for a known card: by a check that
 * goes on, even when it then refuses.
 */
export async function presentCard(
  db: Db,
  vault: Vault,
  presence: CardPresence,
  now: Date,
): Promise<CardHolder> {
  const card = await findValidCard(db, presence.cardNo);
  const nonce = card ? await takeChallenge(db, vault, presence.challengeId, now) : null;
  const holder = provenHolder(card, nonce, presence.cardSignature);
  if (holder instanceof AppError) throw holder;
  return holder;
}
