import type { Db } from '../platform/db.js';

/**
 * The register of contracted pharmacies: a pharmacy's row is created here; its stock and sales
 * are src/pharmacies/pharmacies.repo.ts. Both files are the pharmacies capability's repository.
 */

/** Inserts a pharmacy; false when one with that code exists already. */
export async function insertPharmacy(
  db: Db,
  pharmacy: {
    code: string;
    name: string;
    address: string;
    phone: string;
    city: string | null;
    district: string | null;
    lat?: number | undefined;
    lng?: number | undefined;
  },
  now: Date,
): Promise<boolean> {
  const inserted = await db`
    insert into pharmacies (code, name, address, phone, city, district, lat, lng, created_at)
    values (${pharmacy.code}, ${pharmacy.name}, ${pharmacy.address}, ${pharmacy.phone}, ${pharmacy.city},
            ${pharmacy.district}, ${pharmacy.lat ?? null}, ${pharmacy.lng ?? null}, ${now})
    on conflict (code) do nothing returning code`;
  return inserted.length > 0;
}
