import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { type StoreRow, storeById, successorCandidates } from './stores.repo.js';

/** Where a closing store's orders can go: open stores, nearest first (docs/PARTNERS.md "Closing a store"). */
export async function findSuccessors(storeId: number, limit: number, deps: Deps): Promise<StoreRow[]> {
  const store = await storeById(deps.sql, storeId);
  if (!store) throw new AppError('UNKNOWN_STORE', `No store ${storeId}.`);
  return successorCandidates(deps.sql, store, limit);
}
