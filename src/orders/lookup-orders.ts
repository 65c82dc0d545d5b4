import type { Deps } from '../platform/deps.js';
import { bucket, type Limit, reserveTry } from '../platform/rate-limit.js';
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
  roundName: string;
  status: OrderStatus;
  amount: number;
  virtualAccount: string | null;
  /** Beside the account: the bank an ATM transfer goes to (null without an account). */
  bank: { code: string; name: string } | null;
  paymentClosesAt: string;
  store: ReturnType<typeof storeOfOrder>;
  pickupStartsOn: string;
  pickupEndsOn: string;
}

/**
 * The public order query [ORD 14, 14.1]: national ID + last 3 digits of the order's mobile
 * number → payment account, amount, pickup store (the new one if the store closed [ORD 24.10]),
 * status. Three digits are a weak secret, so:
 * - a wrong pair answers exactly like a person without orders (no hint which half was wrong);
 * - each try is reserved per ID (hashed) and per client address before the orders are read
 *   (`reserveTry`): a wrong pair stays counted, a right one gives its place back. Once a limit
 *   is full, every try is refused with 429 until the window passes, so however many guesses
 *   arrive at once at most 10 per ID (30 per address) are ever evaluated (API.md v1.1);
 * - the pickup serial is never returned (API.md v1.1): it reaches the buyer by SMS and in
 *   `/me/orders` only, so three guessed digits cannot collect someone's masks.
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
  // The orders are read while the try is reserved (one round trip, not two); they are used only
  // once the reservation holds, so a refused try learns nothing from them.
  const [reserved, read] = await Promise.allSettled([
    reserveTry(deps.sql, limits, now),
    ordersByIdentity(deps.sql, deps.vault, nationalId, input.phoneLast3),
  ]);
  if (reserved.status === 'rejected') throw reserved.reason;
  const attempt = reserved.value;
  if (read.status === 'rejected') {
    await attempt.failed().catch(() => undefined);
    throw read.reason;
  }
  const rows = read.value;
  if (rows.length === 0) await attempt.failed();
  else await attempt.succeeded();
  return rows.map((row) => ({
    roundId: row.roundId,
    roundName: row.roundName,
    status: orderStatus(row, row, now),
    amount: row.amount,
    virtualAccount: row.virtualAccount,
    bank: row.virtualAccount ? deps.config.paymentBank : null,
    paymentClosesAt: toTaipeiIso(row.paymentClosesAt),
    store: storeOfOrder(row),
    pickupStartsOn: row.pickupStartsOn,
    pickupEndsOn: row.pickupEndsOn,
  }));
}
