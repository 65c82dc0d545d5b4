import { writeAudit } from '../platform/audit.js';
import { issuePartnerKey } from '../platform/auth.js';
import type { Deps } from '../platform/deps.js';
import { insertAirportCounter } from './airport.repo.js';

/** An airport duty-free counter selling to arriving travellers (SPEC §6) and its API key. */
export async function registerAirportCounter(
  input: { name: string },
  deps: Deps,
  actor: string,
): Promise<{ id: number; apiKey: string }> {
  const now = deps.clock.now();
  return deps.sql.begin(async (tx) => {
    const id = await insertAirportCounter(tx, input.name, now);
    const apiKey = await issuePartnerKey(tx, 'airport', String(id), now);
    await writeAudit(
      tx,
      { actorKind: 'admin', actorId: actor, action: 'airport_counter.create', subject: `counter:${id}` },
      now,
    );
    return { id, apiKey };
  });
}
