import { writeAudit } from '../platform/audit.js';
import { issuePartnerKey } from '../platform/auth.js';
import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { insertStore } from './stores.repo.js';

export interface RegisterStoreInput {
  chain: '7-11' | 'FamilyMart' | 'Hi-Life' | 'OK';
  storeNo: string;
  name: string;
  address: string;
  city: string;
  district: string;
  lat?: number | undefined;
  lng?: number | undefined;
}

/** A convenience store of one of the four chains and its own API key (one key per store). */
export async function registerStore(
  input: RegisterStoreInput,
  deps: Deps,
  actor: string,
): Promise<{ id: number; apiKey: string }> {
  const now = deps.clock.now();
  return deps.sql.begin(async (tx) => {
    const id = await insertStore(tx, input, now);
    if (id === undefined)
      throw new AppError('ALREADY_EXISTS', `${input.chain} store ${input.storeNo} already exists.`);
    const apiKey = await issuePartnerKey(tx, 'store', String(id), now);
    await writeAudit(
      tx,
      { actorKind: 'admin', actorId: actor, action: 'store.create', subject: `store:${id}` },
      now,
    );
    return { id, apiKey };
  });
}
