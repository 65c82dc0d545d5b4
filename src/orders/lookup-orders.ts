import type { Deps } from '../platform/deps.js';
import { assertUnderLimits, bucket, type Limit, recordHit } from '../platform/rate-limit.js';
import { toTaipeiIso } from '../rules/taipei-date.js';
import { type OrderStatus, orderStatus } from './order-status.js';
import { ordersByIdentity, storeOfOrder } from './orders.repo.js';

const HOUR_MS = 60 * 60 * 1000;
const MINUTE_MS = 60 * 1000;
/** API.md `POST /orders/lookup`: at most 10 failed tries per ID an hour, 30 per client address a minute. */
export const LOOKUP_FAILURES_PER_ID_PER_HOUR = 10;
export const LOOKUP_FAILURES_PER_ADDRESS_PER_MINUTE = 30;

export interface LookedUpOrder {
  roundId: number;
  status: OrderStatus;
  amount: number;
  virtualAccount: string | null;
  paymentClosesAt: string;
  store: ReturnType<typeof storeOfOrder>;
  pickupStartsOn: string;
  pickupEndsOn: string;
  pickupSerial?: string;
}

/**
 * The public order query [ORD 14, 14.1]: national ID + last 3 digits of the order's mobile
 * number → payment account, amount, pickup store (the new one if the store closed [ORD 24.10]),
 * status. Three digits are a weak secret, so:
 * - a wrong pair answers exactly like a person without orders (no hint which half was wrong);
 * - failed tries are counted per ID (hashed) and per client address, and once a limit is
 *   reached every try is refused with 429 until the window passes (successful look-ups are not
 *   counted). A failed look-up is checked again, counted and answered under advisory locks on
 *   both buckets, so concurrent guesses cannot slip past the limit; a successful one takes no
 *   lock (it is refused too once a limit is reached).
 * Nothing else about the person (name, phone, e-mail) is returned.
 */
export async function lookupOrders(
  input: { nationalId: string; phoneLast3: string; clientAddress: string },
  deps: Deps,
): Promise<LookedUpOrder[]> {
  const now = deps.clock.now();
  const nationalId = input.nationalId.trim().toUpperCase();
  const limits: Limit[] = [
    {
      bucket: bucket('order-lookup-id', deps.vault.indexHex('national_id', nationalId)),
      max: LOOKUP_FAILURES_PER_ID_PER_HOUR,
      windowMs: HOUR_MS,
    },
    {
      bucket: bucket('order-lookup-addr', input.clientAddress),
      max: LOOKUP_FAILURES_PER_ADDRESS_PER_MINUTE,
      windowMs: MINUTE_MS,
    },
  ];
  // A right pair needs no lock (bench/RESULTS.md (c)): the limits and the orders are read at
  // once, and a reached limit refuses even a right pair. Only a wrong pair, which must be
  // counted, takes the locks and checks again, so concurrent guesses cannot slip past the limit,
  // while right pairs from one address (a carrier's NAT) no longer queue behind each other.
  const [, quick] = await Promise.all([
    assertUnderLimits(deps.sql, limits, now),
    ordersByIdentity(deps.sql, deps.vault, nationalId, input.phoneLast3),
  ]);
  const rows =
    quick.length > 0
      ? quick
      : await deps.sql.begin(async (tx) => {
          // Always ID bucket first, then address bucket: one lock order, no deadlock.
          for (const limit of limits)
            await tx`select pg_advisory_xact_lock(727274030, hashtext(${limit.bucket}))`;
          await assertUnderLimits(tx, limits, now);
          const found = await ordersByIdentity(tx, deps.vault, nationalId, input.phoneLast3);
          if (found.length === 0) await recordHit(tx, limits, now);
          return found;
        });
  return rows.map((row) => ({
    roundId: row.roundId,
    status: orderStatus(row, row, now),
    amount: row.amount,
    virtualAccount: row.virtualAccount,
    paymentClosesAt: toTaipeiIso(row.paymentClosesAt),
    store: storeOfOrder(row),
    pickupStartsOn: row.pickupStartsOn,
    pickupEndsOn: row.pickupEndsOn,
    ...(row.pickupSerial ? { pickupSerial: row.pickupSerial } : {}),
  }));
}
