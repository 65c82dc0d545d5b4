import type { PharmacyFeature } from './api';
import { cityByName, placeOf } from './places';

/** A pharmacy of the open data with the city and district its address files it under. */
export interface PharmacyRow {
  feature: PharmacyFeature;
  city: string | null;
  district: string | null;
}

/** What the open-data page filters by; empty strings and false mean "any". */
export interface PharmacyFilter {
  city: string;
  district: string;
  onlyStock: boolean;
  q: string;
}

/** Files each pharmacy under its city (台 and 臺 as one) and district, by the platform's address rule. */
export function toPharmacyRows(features: readonly PharmacyFeature[]): PharmacyRow[] {
  return features.map((feature) => {
    const place = placeOf(feature.properties.address);
    return {
      feature,
      city: place.city ? (cityByName(place.city)?.zh ?? place.city) : null,
      district: place.district,
    };
  });
}

/** The districts of one city that have a pharmacy, sorted, each once. */
export function districtsOf(rows: readonly PharmacyRow[], city: string): string[] {
  const districts = new Set<string>();
  for (const row of rows) if (row.city === city && row.district) districts.add(row.district);
  return [...districts].sort();
}

/**
 * The pharmacies that match every filter: city, district, any masks left (adult or child), and
 * a search text found in the name or the address (trimmed; a blank text matches all).
 */
export function filterPharmacies(rows: readonly PharmacyRow[], filter: PharmacyFilter): PharmacyRow[] {
  const q = filter.q.trim();
  return rows.filter((r) => {
    const p = r.feature.properties;
    return (
      (!filter.city || r.city === filter.city) &&
      (!filter.district || r.district === filter.district) &&
      (!filter.onlyStock || p.adult + p.child > 0) &&
      (!q || p.name.includes(q) || p.address.includes(q))
    );
  });
}

/** Adult and child masks left in these pharmacies. */
export function maskTotals(rows: readonly PharmacyRow[]): { adult: number; child: number } {
  return rows.reduce(
    (sum, r) => ({
      adult: sum.adult + r.feature.properties.adult,
      child: sum.child + r.feature.properties.child,
    }),
    { adult: 0, child: 0 },
  );
}

/** The latest stock update among these pharmacies (ISO timestamps compare as text), or null. */
export function latestUpdate(rows: readonly PharmacyRow[]): string | null {
  let latest: string | null = null;
  for (const r of rows) {
    const at = r.feature.properties.updatedAt;
    if (at && (!latest || at > latest)) latest = at;
  }
  return latest;
}
