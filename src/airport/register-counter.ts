import { writeAudit } from '../platform/audit.js';
import { issuePartnerKey } from '../platform/auth.js';
import type { Deps } from '../platform/deps.js';

/** An airport duty-free counter selling to arriving travellers (SPEC §6) and its API key. */
export async function registerAirportCounter(
  input: { name: string },
  deps: Deps,
  actor: string,
): Promise<{ id: number; apiKey: string }> {
  const now = deps.clock.now();
  return deps.sql.begin(async (tx) => {
    const [row] = await tx<{ id: number }[]>`
      insert into airport_counters (name, created_at) values (${input.name}, ${now}) returning id`;
    if (!row) throw new Error('counter insert returned nothing');
    const apiKey = await issuePartnerKey(tx, 'airport', String(row.id), now);
    await writeAudit(
      tx,
      { actorKind: 'admin', actorId: actor, action: 'airport_counter.create', subject: `counter:${row.id}` },
      now,
    );
    return { id: row.id, apiKey };
  });
}
