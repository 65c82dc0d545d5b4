import type { Db } from '../platform/db.js';

/** Inserts an airport duty-free counter; its id. */
export async function insertAirportCounter(db: Db, name: string, now: Date): Promise<number> {
  const [row] = await db<{ id: number }[]>`
    insert into airport_counters (name, created_at) values (${name}, ${now}) returning id`;
  if (!row) throw new Error('counter insert returned nothing');
  return row.id;
}
