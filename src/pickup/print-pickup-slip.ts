import { isWellFormedSerial, normaliseSerial } from '../payments/pickup-serial.js';
import type { Db } from '../platform/db.js';
import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { type Outcome, withIdempotency } from '../platform/idempotency.js';
import type { Vault } from '../platform/vault.js';
import { assertCollectable } from './check-collectable.js';
import { insertSlip, orderBySerial, type PickupOrder } from './pickup.repo.js';
import { maskName } from './pickup-rules.js';

export interface PrintSlipInput {
  storeId: number;
  serial: string;
  idempotencyKey: string | undefined;
  fingerprint: string;
}

export interface SlipView {
  slipId: number;
  orderId: number;
  buyerNameMasked: string;
  packs: number;
  amount: number;
  pickupEndsOn: string;
}

export const unknownSerial = () =>
  new AppError('UNKNOWN_SERIAL', 'No paid order has this pickup serial; check the SMS and type it again.');

/** The order a typed or scanned serial names, or 404 UNKNOWN_SERIAL; a malformed serial never reaches the database. */
export async function orderForSerial(
  db: Db,
  vault: Vault,
  rawSerial: string,
  lock = false,
): Promise<PickupOrder> {
  const serial = normaliseSerial(rawSerial);
  const order = isWellFormedSerial(serial) ? await orderBySerial(db, vault, serial, lock) : undefined;
  if (!order) throw unknownSerial();
  return order;
}

/**
 * The kiosk prints a pickup slip (取貨單, SPEC §5, [ORD 5, 24.3, 28]) for a serial of an order
 * that can be handed over at this store today. Refusals: UNKNOWN_SERIAL, WRONG_STORE,
 * ALREADY_COLLECTED, FORFEITED, OUTSIDE_PICKUP_WINDOW, NOT_YET_ELIGIBLE (+collectableFrom).
 */
export async function printPickupSlip(
  input: PrintSlipInput,
  deps: Deps,
): Promise<Outcome<SlipView> & { replayed: boolean }> {
  const now = deps.clock.now();
  return withIdempotency(
    deps,
    { scope: `store:${input.storeId}`, key: input.idempotencyKey, fingerprint: input.fingerprint },
    async (tx) => {
      const order = await orderForSerial(tx, deps.vault, input.serial);
      await assertCollectable(tx, order, input.storeId, now);
      const slipId = await insertSlip(tx, order.id, input.storeId, now);
      return {
        status: 201,
        body: {
          slipId,
          orderId: order.id,
          buyerNameMasked: maskName(order.buyerName),
          packs: 1,
          amount: order.amount,
          pickupEndsOn: order.pickupEndsOn,
        },
      };
    },
  );
}
