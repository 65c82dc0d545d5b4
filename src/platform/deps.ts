import type { FastifyBaseLogger } from 'fastify';
import type { Clock, ManualClock } from './clock.js';
import type { Config } from './config.js';
import type { Sql } from './db.js';
import type { Vault } from './vault.js';

/** What use cases need from the outside world; passed explicitly, never global. */
export interface Deps {
  sql: Sql;
  clock: Clock;
  /** Present only with CLOCK=manual. */
  manualClock: ManualClock | undefined;
  config: Config;
  log: FastifyBaseLogger;
  /** Seals and opens personal data at rest; blind index for look-ups by national ID. */
  vault: Vault;
}
