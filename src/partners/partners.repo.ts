import type { PartnerKind } from '../platform/auth.js';
import type { Db } from '../platform/db.js';

export interface PartnerRow {
  kind: PartnerKind;
  id: string;
  name: string;
  chain: string | null;
  store_no: string | null;
  city: string | null;
  district: string | null;
  open: boolean;
  active: number;
  revoked: number;
  last_issued_at: Date | null;
  last_revoked_at: Date | null;
  total: number;
}

export interface PartnerSearch {
  kind?: PartnerKind | undefined;
  q?: string | undefined;
  page: number;
  pageSize: number;
}

/**
 * Pharmacies, stores and airport counters in one list, each with its keys' state, in name order.
 * Reads only: the partners' tables belong to their own capabilities, `partner_keys` to
 * src/platform/auth.ts.
 */
export async function findPartners(db: Db, search: PartnerSearch): Promise<PartnerRow[]> {
  const q = search.q?.trim() ?? '';
  return db<PartnerRow[]>`
    with partner as (
      select 'pharmacy'::text as kind, trim(code) as id, name, null::text as chain, null::text as store_no,
             city, district, true as open
        from pharmacies
      union all
      select 'store', id::text, name, chain, store_no, city, district, closed_at is null from stores
      union all
      select 'airport', id::text, name, null, null, null, null, true from airport_counters
    )
    select p.*, k.active, k.revoked, k.last_issued_at, k.last_revoked_at, count(*) over ()::int as total
      from partner p
      cross join lateral (
        select count(*) filter (where revoked_at is null)::int as active,
               count(*) filter (where revoked_at is not null)::int as revoked,
               max(created_at) as last_issued_at, max(revoked_at) as last_revoked_at
          from partner_keys where kind = p.kind and partner_ref = p.id) k
     where (${search.kind ?? null}::text is null or p.kind = ${search.kind ?? null})
       and (${q} = '' or position(lower(${q}) in lower(p.name)) > 0 or p.id = ${q} or p.store_no = ${q})
     order by p.name, p.kind, p.id
     limit ${search.pageSize} offset ${(search.page - 1) * search.pageSize}`;
}

/** Whether the partner a key would belong to exists (and, for a store, is still open). */
export async function partnerExists(db: Db, kind: PartnerKind, id: string): Promise<boolean> {
  const numeric = /^\d{1,18}$/.test(id) ? id : null;
  const [row] =
    kind === 'pharmacy'
      ? await db`select 1 from pharmacies where code = ${id}`
      : kind === 'store'
        ? await db`select 1 from stores where id = ${numeric}::bigint`
        : await db`select 1 from airport_counters where id = ${numeric}::bigint`;
  return row !== undefined;
}
