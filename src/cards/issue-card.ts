import { generateKeyPairSync } from 'node:crypto';
import { sealPersonColumns } from '../identity/identity.repo.js';
import { writeAudit } from '../platform/audit.js';
import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { isArcNumber, isNationalId } from '../rules/ids.js';
import { isDay, taipeiDay } from '../rules/taipei-date.js';

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
    const [person] = await tx<{ id: number }[]>`
      insert into persons ${tx({ ...sealed, birth_date: input.birthDate, nationality: input.nationality, created_at: now })}
      on conflict (national_id_index) do update
        set name = excluded.name, arc_number = coalesce(excluded.arc_number, persons.arc_number),
            arc_number_index = coalesce(excluded.arc_number_index, persons.arc_number_index)
      returning id`;
    if (!person) throw new Error('person upsert returned nothing');
    await tx`update cards set revoked_at = ${now} where person_id = ${person.id} and revoked_at is null`;
    const [card] = await tx<{ card_no: string }[]>`
      insert into cards (card_no, person_id, public_key_pem, issued_at)
      values (lpad(nextval('card_no_seq')::text, 12, '0'), ${person.id}, ${publicKeyPem}, ${now})
      returning card_no`;
    if (!card) throw new Error('card insert returned nothing');
    await writeAudit(
      tx,
      { actorKind: 'admin', actorId: actor, action: 'card.issue', subject: `card:${card.card_no}` },
      now,
    );
    return { cardNo: card.card_no, personId: person.id, publicKeyPem, privateKeyPem };
  });
}
