import type { SealedPersonColumns } from '../identity/identity.repo.js';
import type { Db } from '../platform/db.js';

/**
 * Creates the person on first issue or updates the name (and resident certificate number) of the
 * one found again by the blind index of the ID (the stored ID is sealed); the person's id.
 */
export async function upsertPerson(
  db: Db,
  person: SealedPersonColumns & { birth_date: string; nationality: 'TW' | 'foreign' },
  now: Date,
): Promise<number> {
  const [row] = await db<{ id: number }[]>`
    insert into persons ${db({ ...person, created_at: now })}
    on conflict (national_id_index) do update
      set name = excluded.name, arc_number = coalesce(excluded.arc_number, persons.arc_number),
          arc_number_index = coalesce(excluded.arc_number_index, persons.arc_number_index)
    returning id`;
  if (!row) throw new Error('person upsert returned nothing');
  return row.id;
}

/** The person's cards still valid stop working (a reissue). */
export async function revokeCards(db: Db, personId: number, now: Date): Promise<void> {
  await db`update cards set revoked_at = ${now} where person_id = ${personId} and revoked_at is null`;
}

/** A new card of the person, numbered from `card_no_seq`; its number. */
export async function insertCard(db: Db, personId: number, publicKeyPem: string, now: Date): Promise<string> {
  const [card] = await db<{ card_no: string }[]>`
    insert into cards (card_no, person_id, public_key_pem, issued_at)
    values (lpad(nextval('card_no_seq')::text, 12, '0'), ${personId}, ${publicKeyPem}, ${now})
    returning card_no`;
  if (!card) throw new Error('card insert returned nothing');
  return card.card_no;
}
