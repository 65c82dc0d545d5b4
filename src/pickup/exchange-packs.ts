import { writeAudit } from '../platform/audit.js';
import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { type Outcome, withIdempotency } from '../platform/idempotency.js';
import { loadProgramme } from '../purchases/programme.repo.js';
import { taipeiDay } from '../rules/taipei-date.js';
import { collectedPacks, insertExchange } from './pickup.repo.js';
import { orderForSerial } from './print-pickup-slip.js';

export interface ExchangeInput {
  storeId: number;
  serial: string;
  packs: number;
  idempotencyKey: string | undefined;
  fingerprint: string;
}

export interface ExchangeView {
  exchangeId: number;
  orderId: number;
  packs: number;
  masks: number;
}

/**
 * Damaged masks are exchanged on the spot (seeds [ORD 13]): at the store that handed the order
 * over, on the day of collection (Taipei), whole packs of 3 only, never more packs than were
 * collected. Refusals: UNKNOWN_SERIAL; WRONG_STORE (422); not collected → 409 NOT_COLLECTED;
 * another day → 409 EXCHANGE_CLOSED; too many packs → 422 EXCHANGE_EXCEEDS_COLLECTED.
 * The order row is locked so two exchanges at once cannot both take the last pack.
 */
export async function exchangePacks(
  input: ExchangeInput,
  deps: Deps,
): Promise<Outcome<ExchangeView> & { replayed: boolean }> {
  const now = deps.clock.now();
  return withIdempotency(
    deps,
    { scope: `store:${input.storeId}`, key: input.idempotencyKey, fingerprint: input.fingerprint },
    async (tx) => {
      const order = await orderForSerial(tx, deps.vault, input.serial, true);
      if (order.storeId !== input.storeId) {
        throw new AppError('WRONG_STORE', 'Masks are exchanged at the store that handed the order over.', {
          store: order.store,
        });
      }
      if (order.state !== 'collected' || !order.collectedAt) {
        throw new AppError(
          'NOT_COLLECTED',
          'This order has not been collected: there is nothing to exchange.',
        );
      }
      const collectedOn = taipeiDay(order.collectedAt);
      if (collectedOn !== taipeiDay(now)) {
        throw new AppError(
          'EXCHANGE_CLOSED',
          'Damaged masks are exchanged only at the counter on the day of collection.',
          { collectedOn },
        );
      }
      const { packs, exchanged } = await collectedPacks(tx, order.id);
      const remaining = packs - exchanged;
      if (input.packs > remaining) {
        throw new AppError(
          'EXCHANGE_EXCEEDS_COLLECTED',
          `At most ${remaining} whole pack(s) can still be exchanged for this order.`,
          { maxPacks: remaining },
        );
      }
      const exchangeId = await insertExchange(tx, {
        orderId: order.id,
        storeId: input.storeId,
        packs: input.packs,
        now,
      });
      await writeAudit(
        tx,
        {
          actorKind: 'store',
          actorId: String(input.storeId),
          action: 'order.exchange',
          subject: `order:${order.id}`,
          details: { packs: input.packs },
        },
        now,
      );
      const programme = await loadProgramme(tx);
      return {
        status: 201,
        body: {
          exchangeId,
          orderId: order.id,
          packs: input.packs,
          masks: input.packs * programme.adultPackSize,
        },
      };
    },
  );
}
