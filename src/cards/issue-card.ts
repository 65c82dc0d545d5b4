import { generateKeyPairSync } from 'node:crypto';
import { sealPersonColumns } from '../identity/identity.repo.js';
import { writeAudit } from '../platform/audit.js';
import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { isArcNumber, isNationalId } from '../rules/ids.js';
import { isDay, taipeiDay } from '../rules/taipei-date.js';
import { insertCard, revokeCards, upsertPerson } from './cards.repo.js';

export interface IssueCardInput {
  nationalId: string;
  name: string;
  birthDate: string;
  nationality: 'TW' | 'foreign';
  arcNumber?: string | undefined;
}

export interface IssuedCard {
  cardNo: string;
  personId: number;
  publicKeyPem: string;
  /** Handed out once ("written to the card"); the platform keeps only the public key. */
  privateKeyPem: string;
}

/**
 * Card issuance: creates the person on first issue, or reissues (the earlier card stops
 * working). Nationals are identified by their national ID, foreign residents by their
 * resident certificate number, old or 2021 format (API.md "Conventions").
 */
export async function issueCard(input: IssueCardInput, deps: Deps, actor: string): Promise<IssuedCard> {
  const nationalId = input.nationalId.toUpperCase();
  const validId =
    input.nationality === 'TW'
      ? isNationalId(nationalId)
      : isArcNumber(nationalId) || isNationalId(nationalId);
  if (!validId) {
    throw new AppError('INVALID_NATIONAL_ID', 'The ID number is not valid (check digit or format).', {
      fields: [{ field: 'body/nationalId' }],
    });
  }
  const arcNumber = input.arcNumber?.toUpperCase();
  if (arcNumber !== undefined && !isArcNumber(arcNumber)) {
    throw new AppError('INVALID_NATIONAL_ID', 'The resident certificate number is not valid.', {
      fields: [{ field: 'body/arcNumber' }],
    });
  }
  const now = deps.clock.now();
  if (!isDay(input.birthDate) || input.birthDate > taipeiDay(now)) {
    throw new AppError('VALIDATION_FAILED', 'birthDate must be a real date, not in the future.', {
      fields: [{ field: 'body/birthDate' }],
    });
  }
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

  const sealed = sealPersonColumns(deps.vault, {
    nationalId,
    name: input.name,
    arcNumber: arcNumber ?? null,
  });
  return deps.sql.begin(async (tx) => {
    // The same person is found again by the blind index of the ID (the stored ID is sealed).
    const personId = await upsertPerson(
      tx,
      { ...sealed, birth_date: input.birthDate, nationality: input.nationality },
      now,
    );
    await revokeCards(tx, personId, now);
    const cardNo = await insertCard(tx, personId, publicKeyPem, now);
    await writeAudit(
      tx,
      { actorKind: 'admin', actorId: actor, action: 'card.issue', subject: `card:${cardNo}` },
      now,
    );
    return { cardNo, personId, publicKeyPem, privateKeyPem };
  });
}
