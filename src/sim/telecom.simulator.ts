import type { Subscriber, TelecomAdapter } from '../identity/telecom.js';
import type { Db } from '../platform/db.js';
import { findSubscriber } from './telecom.repo.js';

/** The telecom as the simulator plays it: answers from the `telecom_subscribers` table. */
export class SimulatedTelecom implements TelecomAdapter {
  private readonly db: Db;

  constructor(db: Db) {
    this.db = db;
  }

  lookupSubscriber(phone: string): Promise<Subscriber | null> {
    return findSubscriber(this.db, phone);
  }
}
