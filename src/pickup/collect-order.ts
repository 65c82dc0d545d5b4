import { markCollected } from '../orders/orders.repo.js';
import { writeAudit } from '../platform/audit.js';
import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { type Outcome, withIdempotency } from '../platform/idempotency.js';
import { lockPerson } from '../purchases/history.repo.js';
import { toTaipeiIso } from '../rules/taipei-date.js';
import { assertCollectable } from './check-collectable.js';
import {
  isBuyersDocument,
  maskDocumentNumber,
  proxyDocumentProblem,
  type ShownDocument,
} from './documents.js';
import { currentCardNo, insertPickup } from './pickup.repo.js';
import { orderForSerial } from './print-pickup-slip.js';

export interface CollectOrderInput {
  storeId: number;
  serial: string;
  buyerDocument: ShownDocument;
  proxyDocument: ShownDocument | undefined;
  idempotencyKey: string | undefined;
  fingerprint: string;
}

export interface PickupView {
  orderId: number;
  status: 'collected';
  collectedAt: string;
  packs: number;
  amount: number;
  byProxy: boolean;
}

/**
 * Hand-over at the store (SPEC §5, seeds [ORD 5, 6, 9, 10]). The same checks as the slip, then
 * the buyer's document (ID card, NHI card or driver licence) must be the buyer's, and a proxy
 * shows their own, well-formed document besides → otherwise 422 DOCUMENT_MISMATCH. The person
 * row, then the order row, are locked and the order moves paid → collected conditionally, so
 * two clerks handing over one serial at once hand it over once.
 */
export async function collectOrder(
  input: CollectOrderInput,
  deps: Deps,
): Promise<Outcome<PickupView> & { replayed: boolean }> {
  const now = deps.clock.now();
  return withIdempotency(
    deps,
    { scope: `store:${input.storeId}`, key: input.idempotencyKey, fingerprint: input.fingerprint },
    async (tx) => {
      const found = await orderForSerial(tx, deps.vault, input.serial);
      await lockPerson(tx, found.personId);
      const order = await orderForSerial(tx, deps.vault, input.serial, true);
      await assertCollectable(tx, order, input.storeId, now);

      const buyer = {
        nationalId: order.nationalId,
        arcNumber: order.arcNumber,
        cardNo: await currentCardNo(tx, order.personId),
      };
      if (!isBuyersDocument(input.buyerDocument, buyer)) {
        throw new AppError('DOCUMENT_MISMATCH', "The document shown is not the buyer's.", {
          document: 'buyer',
        });
      }
      if (input.proxyDocument) {
        const problem = proxyDocumentProblem(input.proxyDocument, buyer);
        if (problem) {
          throw new AppError(
            'DOCUMENT_MISMATCH',
            problem === 'is_buyer'
              ? "A proxy shows their own document besides the buyer's, not the buyer's again."
              : "The proxy's document number is not a valid ID or NHI card number.",
            { document: 'proxy', reason: problem },
          );
        }
      }

      if (!(await markCollected(tx, order.id, now))) {
        throw new AppError('ALREADY_COLLECTED', 'This order has already been collected.');
      }
      const packs = 1;
      await insertPickup(tx, {
        orderId: order.id,
        storeId: input.storeId,
        packs,
        now,
        buyerDocumentType: input.buyerDocument.type,
        proxy: input.proxyDocument
          ? { type: input.proxyDocument.type, masked: maskDocumentNumber(input.proxyDocument.number) }
          : null,
      });
      await writeAudit(
        tx,
        {
          actorKind: 'store',
          actorId: String(input.storeId),
          action: 'order.collected',
          subject: `order:${order.id}`,
          details: { byProxy: input.proxyDocument !== undefined, buyerDocument: input.buyerDocument.type },
        },
        now,
      );
      return {
        status: 201,
        body: {
          orderId: order.id,
          status: 'collected' as const,
          collectedAt: toTaipeiIso(now),
          packs,
          amount: order.amount,
          byProxy: input.proxyDocument !== undefined,
        },
      };
    },
  );
}
