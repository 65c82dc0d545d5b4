import type { CitizenCa } from '../identity/login-with-certificate.js';
import type { Db } from '../platform/db.js';

export interface StoredCa {
  certificatePem: string;
  /** Null when only the real CA's certificate is configured (nothing can be issued here). */
  privateKeyPem: string | null;
}

/** The Citizen Digital Certificate CA that certificate logins trust, if one is set up. */
export async function loadCa(db: Db): Promise<StoredCa | undefined> {
  const rows = await db<StoredCa[]>`
    select certificate_pem as "certificatePem", private_key_pem as "privateKeyPem" from moica_ca where id = 1`;
  return rows[0];
}

/** First writer wins: two processes creating the CA at once end up using the same one. */
export async function insertCaIfAbsent(db: Db, ca: StoredCa, now: Date): Promise<void> {
  await db`
    insert into moica_ca (id, certificate_pem, private_key_pem, created_at)
    values (1, ${ca.certificatePem}, ${ca.privateKeyPem}, ${now})
    on conflict (id) do nothing`;
}

/**
 * The CA that certificate logins trust, as stored in `moica_ca`: the simulated CA (created on
 * first use by src/sim/moica.ts), or the real CA's certificate when one is stored there.
 */
export function storedCitizenCa(db: Db): CitizenCa {
  return { certificatePem: async () => (await loadCa(db))?.certificatePem ?? null };
}
