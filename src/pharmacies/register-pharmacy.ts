import { writeAudit } from '../platform/audit.js';
import { issuePartnerKey } from '../platform/auth.js';
import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { cityAndDistrict } from '../rules/address.js';
import { insertPharmacy } from './pharmacy-registry.repo.js';

export interface RegisterPharmacyInput {
  code: string;
  name: string;
  address: string;
  phone: string;
  lat?: number | undefined;
  lng?: number | undefined;
}

/** A contracted pharmacy (健保特約藥局) and its API key, returned once and stored hashed. */
export async function registerPharmacy(
  input: RegisterPharmacyInput,
  deps: Deps,
  actor: string,
): Promise<{ code: string; apiKey: string }> {
  const now = deps.clock.now();
  const { city, district } = cityAndDistrict(input.address);
  return deps.sql.begin(async (tx) => {
    const inserted = await insertPharmacy(tx, { ...input, city, district }, now);
    if (!inserted) throw new AppError('ALREADY_EXISTS', `Pharmacy ${input.code} already exists.`);
    const apiKey = await issuePartnerKey(tx, 'pharmacy', input.code, now);
    await writeAudit(
      tx,
      { actorKind: 'admin', actorId: actor, action: 'pharmacy.create', subject: `pharmacy:${input.code}` },
      now,
    );
    return { code: input.code, apiKey };
  });
}
