import type { Db } from '../platform/db.js';

export interface StoreRow {
  id: number;
  chain: string;
  store_no: string;
  name: string;
  address: string;
  city: string;
  district: string;
  lat: number | null;
  lng: number | null;
  closed_at: Date | null;
}

export interface StoreFilter {
  chain?: string | undefined;
  city?: string | undefined;
  district?: string | undefined;
  q?: string | undefined;
  limit: number;
}

export async function findStores(db: Db, f: StoreFilter): Promise<StoreRow[]> {
  const like = f.q ? `%${f.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  return db<StoreRow[]>`
    select id, chain, store_no, name, address, city, district, lat, lng, closed_at from stores
    where (${f.chain ?? null}::text is null or chain = ${f.chain ?? null})
      and (${f.city ?? null}::text is null or city = ${f.city ?? null})
      and (${f.district ?? null}::text is null or district = ${f.district ?? null})
      and (${like}::text is null or name like ${like} or address like ${like} or store_no = ${f.q ?? null})
    order by city, district, chain, store_no
    limit ${f.limit}`;
}

export async function storeById(db: Db, id: number): Promise<StoreRow | undefined> {
  const rows = await db<StoreRow[]>`
    select id, chain, store_no, name, address, city, district, lat, lng, closed_at from stores where id = ${id}`;
  return rows[0];
}

export function storeRef(row: Pick<StoreRow, 'id' | 'chain' | 'store_no' | 'name' | 'address'>) {
  return { id: row.id, chain: row.chain, storeNo: row.store_no, name: row.name, address: row.address };
}

export function storeView(row: StoreRow) {
  return {
    ...storeRef(row),
    city: row.city,
    district: row.district,
    open: row.closed_at === null,
    lat: row.lat,
    lng: row.lng,
  };
}

/**
 * Open stores to move a closing store's orders to, nearest first: the same district, then the
 * same city, then the rest; within each, by distance where both have coordinates, then by chain
 * and store number. Whatever filter the operator typed, these are the sensible choices.
 */
export async function successorCandidates(db: Db, store: StoreRow, limit: number): Promise<StoreRow[]> {
  return db<StoreRow[]>`
    select id, chain, store_no, name, address, city, district, lat, lng, closed_at from stores
    where closed_at is null and id <> ${store.id}
    order by (city = ${store.city} and district = ${store.district}) desc, (city = ${store.city}) desc,
             case when lat is null or ${store.lat}::float8 is null then null
                  else (lat - ${store.lat}::float8) ^ 2 + ((lng - ${store.lng}::float8) * cos(radians(${store.lat}::float8))) ^ 2
             end nulls last,
             chain, store_no
    limit ${limit}`;
}

/** The two stores of a close (the closing one and the one its orders move to), locked in id order. */
export async function lockStoresForClosing(
  db: Db,
  storeId: number,
  reassignTo: number,
): Promise<{ id: number; closed_at: Date | null }[]> {
  return db<{ id: number; closed_at: Date | null }[]>`
    select id, closed_at from stores where id in (${storeId}, ${reassignTo})
    order by id for update`;
}

/** Closes a store (kept closed since the first close) and records where its orders went. */
export async function markStoreClosed(db: Db, storeId: number, reassignTo: number, now: Date): Promise<void> {
  await db`update stores set closed_at = coalesce(closed_at, ${now}), reassigned_to = ${reassignTo}
      where id = ${storeId}`;
}

/** Inserts a store; its id, or undefined when the chain has a store of that number already. */
export async function insertStore(
  db: Db,
  store: {
    chain: string;
    storeNo: string;
    name: string;
    address: string;
    city: string;
    district: string;
    lat?: number | undefined;
    lng?: number | undefined;
  },
  now: Date,
): Promise<number | undefined> {
  const [row] = await db<{ id: number }[]>`
    insert into stores (chain, store_no, name, address, city, district, lat, lng, created_at)
    values (${store.chain}, ${store.storeNo}, ${store.name}, ${store.address}, ${store.city}, ${store.district},
            ${store.lat ?? null}, ${store.lng ?? null}, ${now})
    on conflict (chain, store_no) do nothing returning id`;
  return row?.id;
}
