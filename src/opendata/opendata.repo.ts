import type { Db } from '../platform/db.js';

export interface PharmacyStockRow {
  code: string;
  name: string;
  address: string;
  phone: string;
  adult: number;
  child: number;
  /** When the stock was last reported or changed by a sale; registration time before that. */
  updatedAt: Date;
  lat: number | null;
  lng: number | null;
}

/**
 * A cheap fingerprint of the whole pharmacies table: every insert or update takes a new
 * `data_version` from a sequence (migrations/functions/pharmacy-data-version.sql), so count and sum change with any change,
 * including one committed after a higher version was already seen.
 */
export async function pharmacyDataVersion(db: Db): Promise<string> {
  const [row] = await db<{ version: string }[]>`
    select count(*)::text || ':' || coalesce(sum(data_version), 0)::text as version from pharmacies`;
  return row?.version ?? '0:0';
}

export async function pharmacyStockRows(db: Db): Promise<PharmacyStockRow[]> {
  return db<PharmacyStockRow[]>`
    select code, name, address, phone, adult_stock as adult, child_stock as child,
           coalesce(stock_updated_at, created_at) as "updatedAt", lat, lng
    from pharmacies order by code`;
}
