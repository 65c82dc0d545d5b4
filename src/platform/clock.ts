import type { Sql } from './db.js';

/** The one source of time for business code. */
export interface Clock {
  now(): Date;
}

export const realClock: Clock = {
  now: () => new Date(),
};

/**
 * The demo/test clock (`CLOCK=manual`): stands still at the instant last set and survives
 * restarts because the setting is stored in the database.
 */
export class ManualClock implements Clock {
  private current: Date;

  constructor(initial: Date) {
    this.current = initial;
  }

  now(): Date {
    return new Date(this.current.getTime());
  }

  set(instant: Date): void {
    this.current = new Date(instant.getTime());
  }

  static async load(sql: Sql, fallback: Date): Promise<ManualClock> {
    const rows = await sql<{ now: Date }[]>`select now_at as now from manual_clock where id = 1`;
    return new ManualClock(rows[0]?.now ?? fallback);
  }

  async persist(sql: Sql, instant: Date): Promise<void> {
    await sql`insert into manual_clock (id, now_at) values (1, ${instant})
      on conflict (id) do update set now_at = excluded.now_at`;
    this.set(instant);
  }
}
