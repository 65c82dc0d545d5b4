import { writeAudit } from '../platform/audit.js';
import type { Deps } from '../platform/deps.js';
import { addSubscriber } from '../sim/telecom.repo.js';
import {
  DEMO_MARKER_ACTION,
  demoSeedLoaded,
  insertCounters,
  insertPartnerKeys,
  insertPeopleWithCards,
  insertPharmacies,
  insertRounds,
  insertStores,
  lockDemoLoad,
  type PartnerKeyRow,
  systemIsEmpty,
} from './demo.repo.js';
import { buildDemoDataset } from './demo-dataset.js';
import { DEFAULT_DEMO_SEED } from './derive.js';

export interface LoadDemoResult {
  loaded: boolean;
  /** Why nothing was loaded: already loaded, or the system already holds data. */
  skipped?: 'already_loaded' | 'not_empty';
  counts?: Record<string, number>;
}

/**
 * API.md `DEMO_DATA=on`: load the demo data set into an empty system, once. The whole set is
 * one transaction with multi-row inserts; a marker row in the audit log (carrying the seed, so
 * the simulator can show the derived keys) makes a second start on the same data a no-op, and
 * an advisory lock makes two processes starting at once load it once.
 */
export async function loadDemoData(
  deps: Deps,
  options: { seed?: string | undefined } = {},
): Promise<LoadDemoResult> {
  const seed = options.seed || DEFAULT_DEMO_SEED;
  const data = buildDemoDataset(seed);
  const now = deps.clock.now();
  const result = await deps.sql.begin(async (tx): Promise<LoadDemoResult> => {
    await lockDemoLoad(tx);
    if ((await demoSeedLoaded(tx)) !== null) return { loaded: false, skipped: 'already_loaded' };
    if (!(await systemIsEmpty(tx))) return { loaded: false, skipped: 'not_empty' };

    await insertRounds(tx, data.rounds, now);
    await insertPeopleWithCards(tx, deps.vault, data.people, now);
    await insertPharmacies(tx, data.pharmacies, now);
    const storeIds = await insertStores(tx, data.stores, now);
    const counterIds = await insertCounters(tx, data.counters, now);
    const keys: PartnerKeyRow[] = [
      ...data.pharmacies.map((p) => ({ kind: 'pharmacy' as const, ref: p.code, apiKey: p.apiKey })),
      ...data.stores.map((s) => ({
        kind: 'store' as const,
        ref: String(storeIds.get(`${s.chain}:${s.storeNo}`)),
        apiKey: s.apiKey,
      })),
      ...data.counters.map((c) => ({
        kind: 'airport' as const,
        ref: String(counterIds.get(c.name)),
        apiKey: c.apiKey,
      })),
    ];
    await insertPartnerKeys(tx, keys, now);
    for (const person of data.people) {
      if (person.subscriber) await addSubscriber(tx, person.subscriber, now);
    }
    const counts = {
      rounds: data.rounds.length,
      people: data.people.length,
      pharmacies: data.pharmacies.length,
      stores: data.stores.length,
      airportCounters: data.counters.length,
      telecomSubscribers: data.people.filter((p) => p.subscriber).length,
    };
    await writeAudit(
      tx,
      { actorKind: 'system', actorId: 'demo', action: DEMO_MARKER_ACTION, details: { seed, counts } },
      now,
    );
    return { loaded: true, counts };
  });
  if (result.loaded) deps.log.info({ counts: result.counts }, 'demo data loaded');
  else if (result.skipped === 'not_empty')
    deps.log.warn('demo data not loaded: the system already holds data');
  return result;
}
