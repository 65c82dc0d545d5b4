/**
 * A process-local hint that pharmacy stock changed through this process (a sale or a stock
 * update just committed). The open-data snapshot re-checks the database on its next read
 * instead of waiting for its one-second check, so a reader after a write sees it. Changes
 * made through other processes are picked up by the periodic check (docs/OPEN-DATA.md).
 */
let changes = 0;

export function noteStockChanged(): void {
  changes += 1;
}

export function stockChangeCount(): number {
  return changes;
}
