import { moveOpenOrders } from '../orders/orders.repo.js';
import { writeAudit } from '../platform/audit.js';
import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { lockStoresForClosing, markStoreClosed } from './stores.repo.js';

/**
 * Close a store and move its open orders to another, open store (SPEC §5, [ORD 24.10]: the
 * order query then shows the new store). Orders already collected stay where they were.
 * Both store rows are locked so a concurrent close cannot move orders into a closing store.
 */
export async function closeStore(
  input: { storeId: number; reassignTo: number },
  deps: Deps,
  actor: string,
): Promise<{ id: number; reassignedTo: number; ordersMoved: number }> {
  if (input.storeId === input.reassignTo) {
    throw new AppError('VALIDATION_FAILED', 'A store cannot be reassigned to itself.', {
      fields: [{ field: 'body/reassignTo' }],
    });
  }
  const now = deps.clock.now();
  return deps.sql.begin(async (tx) => {
    const rows = await lockStoresForClosing(tx, input.storeId, input.reassignTo);
    const from = rows.find((r) => r.id === input.storeId);
    const to = rows.find((r) => r.id === input.reassignTo);
    if (!from) throw new AppError('UNKNOWN_STORE', `No store ${input.storeId}.`);
    if (!to) throw new AppError('UNKNOWN_STORE', `No store ${input.reassignTo} to reassign to.`);
    if (to.closed_at) throw new AppError('STORE_CLOSED', `Store ${input.reassignTo} is closed itself.`);
    await markStoreClosed(tx, input.storeId, input.reassignTo, now);
    const ordersMoved = await moveOpenOrders(tx, input.storeId, input.reassignTo, now);
    await writeAudit(
      tx,
      {
        actorKind: 'admin',
        actorId: actor,
        action: 'store.close',
        subject: `store:${input.storeId}`,
        details: { reassignTo: input.reassignTo, ordersMoved },
      },
      now,
    );
    return { id: input.storeId, reassignedTo: input.reassignTo, ordersMoved };
  });
}
