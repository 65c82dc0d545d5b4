import type { Db } from '../platform/db.js';
import { DEFAULT_PROGRAMME, type Programme } from '../rules/programme.js';

/**
 * The active programme (SPEC §3) from `programme_settings` (one row, defaults inserted by
 * migration 0021). Read inside the transaction that applies it, so a sale and the rule it was
 * checked against agree; DEFAULT_PROGRAMME when the row is missing.
 */
export async function loadProgramme(db: Db): Promise<Programme> {
  const [row] = await db<Programme[]>`
    select period_days as "periodDays", adult_pack_size as "adultPackSize",
           child_pack_size as "childPackSize", unit_price as "unitPrice",
           child_max_age as "childMaxAge", online_fee as "onlineFee",
           airport_price_twd as "airportPriceTwd", airport_price_usd as "airportPriceUsd"
    from programme_settings where id = 1`;
  return row ? { ...row } : DEFAULT_PROGRAMME;
}
