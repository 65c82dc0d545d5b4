import type { Db } from '../platform/db.js';
import type { Vault } from '../platform/vault.js';

/** The holder of a valid (not revoked) NHI card, as the point of sale needs them. */
export interface CardHolder {
  personId: number;
  /**
   * National ID (or a foreign resident's resident certificate number, API.md) as every display
   * masks it: first 2, stars, last 4. The stored ID is sealed; the weekday rule needs only the
   * last digit, so a sale never opens it.
   */
  nationalIdMasked: string;
  birthDate: string;
  publicKeyPem: string;
}

export async function findValidCard(db: Db, cardNo: string): Promise<CardHolder | undefined> {
  const rows = await db<CardHolder[]>`
    select c.person_id as "personId", p.national_id_masked as "nationalIdMasked",
           to_char(p.birth_date, 'YYYY-MM-DD') as "birthDate", c.public_key_pem as "publicKeyPem"
    from cards c join persons p on p.id = c.person_id
    where c.card_no = ${cardNo} and c.revoked_at is null`;
  return rows[0];
}

/** A resident by resident certificate number: their ID is that number, or it is recorded beside it. */
export async function findPersonByArc(
  db: Db,
  vault: Vault,
  arcNumber: string,
): Promise<{ personId: number } | undefined> {
  const rows = await db<{ personId: number }[]>`
    select id as "personId" from persons where national_id_index = ${vault.index('national_id', arcNumber)}
    union
    select id from persons where arc_number_index = ${vault.index('arc_number', arcNumber)}
    limit 1`;
  return rows[0];
}
