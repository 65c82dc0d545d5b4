import type { Subscriber } from '../identity/telecom.js';
import type { Db } from '../platform/db.js';

export type NewSubscriber = Subscriber;

/**
 * Put a line into the simulated telecom's book (API.md `POST /api/v1/sim/telecom/subscribers`);
 * posting the same number again replaces what the telecom knows about it. The demo data uses
 * this directly.
 */
export async function addSubscriber(db: Db, subscriber: NewSubscriber, now: Date): Promise<void> {
  await db`
    insert into telecom_subscribers (phone, carrier, plan, owner_id, status, mobile_data, updated_at)
    values (${subscriber.phone}, ${subscriber.carrier}, ${subscriber.plan}, ${subscriber.ownerId.toUpperCase()},
            ${subscriber.status}, ${subscriber.mobileData}, ${now})
    on conflict (phone) do update set
      carrier = excluded.carrier, plan = excluded.plan, owner_id = excluded.owner_id,
      status = excluded.status, mobile_data = excluded.mobile_data, updated_at = excluded.updated_at`;
}

export async function findSubscriber(db: Db, phone: string): Promise<Subscriber | null> {
  const rows = await db<Subscriber[]>`
    select phone, carrier, plan, owner_id as "ownerId", status, mobile_data as "mobileData"
    from telecom_subscribers where phone = ${phone}`;
  return rows[0] ?? null;
}
