import { describe, expect, it } from 'vitest';
import { formatSummary, runCrashScenario } from '../../bench/crash-safety.js';
import { createTestDatabase } from '../support/app.js';

/**
 * Crash safety in CI (issue 6 point 1): the small version of `npm run crash-safety` — about 300
 * mixed requests (order submissions, pharmacy sales, bank notices) against the API server in a
 * child process, one SIGKILL of that process mid-load, a restart, and the checks of
 * bench/crash-safety.ts: every acknowledged request exactly once, nothing half-written, stock
 * and purchases agree, every outbox row delivered exactly once.
 */
describe('crash safety', () => {
  it('loses and duplicates nothing when the server is SIGKILLed mid-load', { timeout: 240_000 }, async () => {
    const summary = await runCrashScenario({
      name: 'server SIGKILLed mid-load (CI size)',
      databaseUrl: await createTestDatabase(),
      fault: 'server',
      orders: 120,
      sales: 100,
      transfers: 80,
      pharmacies: 5,
      // 20 sales per pharmacy, 15 packs in stock: some are refused OUT_OF_STOCK.
      stockPerPharmacy: 45,
      concurrency: 16,
      faultAfter: 110,
    });
    console.log(formatSummary(summary));
    expect(summary.requests).toBe(300);
    expect(summary.acknowledged).toBeGreaterThan(150);
    expect(summary.lost).toBe(0);
    expect(summary.duplicated).toBe(0);
    expect(summary.found).toBe(summary.acknowledged);
    expect(summary.halfWritten).toBe(0);
    expect(summary.stockMismatches).toBe(0);
    expect(summary.outbox.rows).toBeGreaterThan(0);
    expect(summary.outbox.unsent).toBe(0);
    expect(summary.outbox.missing).toBe(0);
    expect(summary.outbox.duplicated).toBe(0);
    expect(summary.ok).toBe(true);
  });
});
