import { noteStockChanged } from '../opendata/stock-signal.js';
import { writeAudit } from '../platform/audit.js';
import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { type Outcome, withIdempotency } from '../platform/idempotency.js';
import { toTaipeiIso } from '../rules/taipei-date.js';
import { setStock } from './pharmacies.repo.js';

export interface UpdateStockInput {
  pharmacyCode: string;
  /** Masks, as NHI's open data counts them (API.md "Conventions"). */
  adult: number;
  child: number;
  idempotencyKey: string | undefined;
  fingerprint: string;
}

export interface StockBody {
  code: string;
  adult: number;
  child: number;
  updatedAt: string;
}

/**
 * A pharmacy reports its stock (SPEC §4): the count replaces the platform's, because the
 * pharmacist's count of the shelf is what is there. Stamps stock_updated_at (the open data's
 * 來源資料時間).
 */
export async function updateStock(
  input: UpdateStockInput,
  deps: Deps,
): Promise<Outcome<StockBody> & { replayed: boolean }> {
  const now = deps.clock.now();
  const outcome = await withIdempotency(
    deps,
    { scope: `pharmacy:${input.pharmacyCode}`, key: input.idempotencyKey, fingerprint: input.fingerprint },
    async (tx) => {
      const row = await setStock(tx, input.pharmacyCode, { adult: input.adult, child: input.child }, now);
      if (!row) throw new AppError('UNKNOWN_PHARMACY', `No pharmacy ${input.pharmacyCode}.`);
      await writeAudit(
        tx,
        {
          actorKind: 'pharmacy',
          actorId: input.pharmacyCode,
          action: 'pharmacy.stock',
          subject: `pharmacy:${input.pharmacyCode}`,
          details: { adult: row.adult, child: row.child },
        },
        now,
      );
      return {
        status: 200,
        body: {
          code: input.pharmacyCode,
          adult: row.adult,
          child: row.child,
          updatedAt: toTaipeiIso(row.updatedAt),
        },
      };
    },
  );
  if (!outcome.replayed) noteStockChanged();
  return outcome;
}
