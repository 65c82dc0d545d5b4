import type { Channel } from '../platform/auth.js';
import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { onlineOrderAmount } from '../rules/programme.js';
import { toTaipeiIso } from '../rules/taipei-date.js';
import { submitOrder } from './orders.repo.js';

export interface PlaceOrderInput {
  /** The signed-in person: each card orders for itself, never for dependents [ORD 19]. */
  personId: number;
  /** How they signed in; payment later refuses cards for app orders [ORD 2 note, 24.7]. */
  channel: Channel;
  roundId: number;
  storeId: number;
  phone: string;
  email: string;
}

export interface PlacedOrder {
  id: number;
  roundId: number;
  storeId: number;
  status: 'registered';
  amount: number;
}

/**
 * Register (or replace) the person's pre-order for a round (SPEC §5): only inside the
 * registration window, at an open store of the four chains, one adult pack + logistics fee
 * for every card, child cards included [ORD 1, 1.1]. The last submission stands and keeps the
 * order id [ORD 1.2, 12]; there is no cancellation [ORD 16, 17]. Not first-come-first-served
 * [ORD 24.1 note]: the draw decides after the deadline.
 */
export async function placeOrder(input: PlaceOrderInput, deps: Deps): Promise<PlacedOrder> {
  const now = deps.clock.now();
  // Phone and e-mail are stored sealed (docs/SECURITY.md); the draw copies the sealed e-mail.
  const result = await submitOrder(deps.sql, {
    ...input,
    phone: deps.vault.seal('phone', input.phone),
    email: deps.vault.seal('email', input.email),
    defaultAmount: onlineOrderAmount(),
    now,
  });
  if (result.roundOpen === null) throw new AppError('UNKNOWN_ROUND', `No round ${input.roundId}.`);
  if (!result.roundOpen) {
    throw new AppError('REGISTRATION_CLOSED', 'Pre-orders for this round are not open now.', {
      registrationOpensAt: result.registrationOpensAt ? toTaipeiIso(result.registrationOpensAt) : undefined,
      registrationClosesAt: result.registrationClosesAt
        ? toTaipeiIso(result.registrationClosesAt)
        : undefined,
    });
  }
  if (result.storeOpen === null) throw new AppError('UNKNOWN_STORE', `No store ${input.storeId}.`);
  if (!result.storeOpen) {
    throw new AppError('STORE_CLOSED', 'This store no longer takes pickups; choose another store.');
  }
  if (result.id === null || result.amount === null || result.state === null) {
    // The window is open but the order has already been drawn: nothing can be edited [ORD 24.11].
    throw new AppError('REGISTRATION_CLOSED', 'This order can no longer be changed.');
  }
  // The upsert writes only while the state is still `registered` (before any draw).
  return {
    id: result.id,
    roundId: input.roundId,
    storeId: input.storeId,
    status: 'registered',
    amount: result.amount,
  };
}
