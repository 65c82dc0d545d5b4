import type postgres from 'postgres';
import type { Db } from '../platform/db.js';
import { AppError } from '../platform/errors.js';
import type { CardHolder } from '../purchases/buyers.repo.js';
import { verifyEd25519 } from './challenges.js';

/**
 * The buyer's NHI card is known, valid and here (SPEC §4), checked the same way for one request
 * (src/pharmacies/present-card.ts `presentCard`: the eligibility check) and for a batch of sales
 * (src/pharmacies/sell-at-pharmacy.ts):
 * 1. the card is known and not replaced by a reissue     → 404 UNKNOWN_CARD
 * 2. it signed a fresh, unused challenge of this platform → 422 CARD_NOT_PRESENT
 * Nothing about the person is revealed before step 2 passes.
 */

export const unknownCard = (): AppError =>
  new AppError('UNKNOWN_CARD', 'This card is not known or is no longer valid.');

export const cardNotPresent = (): AppError =>
  new AppError(
    'CARD_NOT_PRESENT',
    "The card's signature does not prove it is here: read the card again with a new challenge.",
  );

/**
 * Steps 1–2 on what was read: `card` is the valid card with the number given, if any; `nonce` the
 * challenge's if it is usable (issued by the platform, valid now, unused), else null. The card
 * when it is present, else the refusal.
 */
export function provenHolder<C extends { publicKeyPem: string }>(
  card: C | undefined,
  nonce: string | null,
  signature: string,
): C | AppError {
  if (!card) return unknownCard();
  if (nonce === null || !verifyEd25519(card.publicKeyPem, nonce, signature)) return cardNotPresent();
  return card;
}

/**
 * The refusal of a presence after the transaction acting on it spent its challenge
 * (challenges.ts `spendChallenges`), or null: the card was revoked since it was read (step 1), or
 * another request used the challenge first (step 2).
 */
export function spendRefusal(spent: { card: boolean; used: boolean } | undefined): AppError | null {
  if (!spent?.card) return unknownCard();
  if (!spent.used) return cardNotPresent();
  return null;
}

export interface CardPresenceQuery {
  cardNo: string;
  /** The id of a challenge the platform issued and that is valid now (`issuedChallenge`), or null. */
  challengeId: string | null;
}

/** A row of `cardPresencesQuery`: the card's columns are null when there is no valid card. */
export interface CardPresenceRow {
  n: number;
  personId: number | null;
  nationalIdMasked: string | null;
  birthDate: string | null;
  publicKeyPem: string | null;
  /** The challenge was used already (its id is in `challenges`). */
  challengeUsed: boolean;
}

export interface PresenceFacts {
  /** The valid card with this number, as `findValidCard` reads it; undefined when none. */
  card: CardHolder | undefined;
  challengeUsed: boolean;
}

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/**
 * `findValidCard` (src/purchases/buyers.repo.ts) and whether the challenge was used, for many
 * presences in ONE read: one row per query in order (`n`, from 1). A query: await it, or embed
 * it in a larger read of the same snapshot (a sale's, src/pharmacies/pharmacies.repo.ts). The
 * national ID comes masked (maskId: first 2 + stars + last 4, issue 6), as `findValidCard` has it.
 */
export function cardPresencesQuery(
  db: Db,
  queries: readonly CardPresenceQuery[],
): postgres.PendingQuery<CardPresenceRow[]> {
  return db<CardPresenceRow[]>`
    select i.n::int as n, c.person_id as "personId", p.national_id_masked as "nationalIdMasked",
           to_char(p.birth_date, 'YYYY-MM-DD') as "birthDate", c.public_key_pem as "publicKeyPem",
           ch.id is not null as "challengeUsed"
    from unnest(${db.array(queries.map((q) => q.cardNo))}::text[],
                ${db.array(queries.map((q) => q.challengeId ?? NIL_UUID))}::text[]::uuid[])
           with ordinality as i (card_no, challenge_id, n)
      left join cards c on c.card_no = i.card_no::bpchar and c.revoked_at is null
      left join persons p on p.id = c.person_id
      left join challenges ch on ch.id = i.challenge_id`;
}

export function presenceFactsOf(row: CardPresenceRow): PresenceFacts {
  const { personId, publicKeyPem, birthDate } = row;
  const card =
    personId === null || publicKeyPem === null || birthDate === null
      ? undefined
      : { personId, publicKeyPem, birthDate, nationalIdMasked: row.nationalIdMasked ?? '' };
  return { card, challengeUsed: row.challengeUsed };
}
