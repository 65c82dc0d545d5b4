import { sealPersonColumns } from '../identity/identity.repo.js';
import type { Db, Tx } from '../platform/db.js';
import { tokenHash } from '../platform/secrets.js';
import type { Vault } from '../platform/vault.js';
import type { DemoCounter, DemoPerson, DemoPharmacy, DemoRound, DemoStore } from './demo-dataset.js';

/** The audit action that marks a loaded demo data set; its details carry the seed. */
export const DEMO_MARKER_ACTION = 'demo_data.load';

/** Serialises concurrent loaders (two processes starting on one database). */
export async function lockDemoLoad(tx: Tx): Promise<void> {
  await tx`select pg_advisory_xact_lock(727274100)`;
}

export async function demoSeedLoaded(db: Db): Promise<string | null> {
  const rows = await db<{ seed: string | null }[]>`
    select details->>'seed' as seed from audit_log where action = ${DEMO_MARKER_ACTION} order by id limit 1`;
  const row = rows[0];
  return row ? (row.seed ?? '') : null;
}

/** Demo data goes only into an empty system (API.md: "loads the demo data set into an empty system"). */
export async function systemIsEmpty(db: Db): Promise<boolean> {
  const [row] = await db<{ empty: boolean }[]>`
    select not exists (select 1 from persons) and not exists (select 1 from rounds)
       and not exists (select 1 from pharmacies) and not exists (select 1 from stores)
       and not exists (select 1 from airport_counters) as empty`;
  return row?.empty ?? false;
}

export async function insertRounds(tx: Tx, rounds: readonly DemoRound[], now: Date): Promise<void> {
  const rows = rounds.map((r) => ({
    name: r.name,
    registration_opens_at: r.registrationOpensAt,
    registration_closes_at: r.registrationClosesAt,
    payment_opens_at: r.paymentOpensAt,
    payment_closes_at: r.paymentClosesAt,
    pickup_starts_on: r.pickupStartsOn,
    pickup_ends_on: r.pickupEndsOn,
    supply_packs: r.supplyPacks,
    created_at: now,
  }));
  await tx`insert into rounds ${tx(
    rows,
    'name',
    'registration_opens_at',
    'registration_closes_at',
    'payment_opens_at',
    'payment_closes_at',
    'pickup_starts_on',
    'pickup_ends_on',
    'supply_packs',
    'created_at',
  )}`;
}

/** People and their cards (public keys only); returns person ids by national ID. */
export async function insertPeopleWithCards(
  tx: Tx,
  vault: Vault,
  people: readonly DemoPerson[],
  now: Date,
): Promise<Map<string, number>> {
  const personRows = people.map((p) => ({
    ...sealPersonColumns(vault, {
      nationalId: p.nationalId,
      name: p.name,
      arcNumber: p.nationality === 'foreign' ? p.nationalId : null,
    }),
    birth_date: p.birthDate,
    nationality: p.nationality,
    created_at: now,
  }));
  // Rows come back in the order they were inserted (one multi-row VALUES).
  const inserted = (await tx`
    insert into persons ${tx(personRows)}
    returning id`) as unknown as { id: number }[];
  const ids = new Map(people.map((p, i) => [p.nationalId, inserted[i]?.id as number]));
  const cardRows = people.map((p) => ({
    card_no: p.cardNo,
    person_id: ids.get(p.nationalId) as number,
    public_key_pem: p.card.publicKeyPem,
    issued_at: now,
  }));
  await tx`insert into cards ${tx(cardRows, 'card_no', 'person_id', 'public_key_pem', 'issued_at')}`;
  return ids;
}

export async function insertPharmacies(
  tx: Tx,
  pharmacies: readonly DemoPharmacy[],
  now: Date,
): Promise<void> {
  const rows = pharmacies.map((p) => ({
    code: p.code,
    name: p.name,
    address: p.address,
    phone: p.phone,
    city: p.city,
    district: p.district,
    lat: p.lat,
    lng: p.lng,
    adult_stock: p.adult,
    child_stock: p.child,
    stock_updated_at: now,
    created_at: now,
  }));
  await tx`insert into pharmacies ${tx(
    rows,
    'code',
    'name',
    'address',
    'phone',
    'city',
    'district',
    'lat',
    'lng',
    'adult_stock',
    'child_stock',
    'stock_updated_at',
    'created_at',
  )}`;
}

/** Returns store ids by `${chain}:${storeNo}`. */
export async function insertStores(
  tx: Tx,
  stores: readonly DemoStore[],
  now: Date,
): Promise<Map<string, number>> {
  const rows = stores.map((s) => ({
    chain: s.chain,
    store_no: s.storeNo,
    name: s.name,
    address: s.address,
    city: s.city,
    district: s.district,
    lat: s.lat,
    lng: s.lng,
    created_at: now,
  }));
  const inserted = (await tx`
    insert into stores ${tx(rows, 'chain', 'store_no', 'name', 'address', 'city', 'district', 'lat', 'lng', 'created_at')}
    returning id, chain, store_no`) as unknown as { id: number; chain: string; store_no: string }[];
  return new Map(inserted.map((r) => [`${r.chain}:${r.store_no}`, r.id]));
}

/** Returns counter ids by name. */
export async function insertCounters(
  tx: Tx,
  counters: readonly DemoCounter[],
  now: Date,
): Promise<Map<string, number>> {
  const inserted = (await tx`
    insert into airport_counters ${tx(
      counters.map((c) => ({ name: c.name, created_at: now })),
      'name',
      'created_at',
    )} returning id, name`) as unknown as { id: number; name: string }[];
  return new Map(inserted.map((r) => [r.name, r.id]));
}

export interface PartnerKeyRow {
  kind: 'pharmacy' | 'store' | 'airport';
  ref: string;
  apiKey: string;
}

/** Only the SHA-256 of each key is stored, as for keys an operator issues. */
export async function insertPartnerKeys(tx: Tx, keys: readonly PartnerKeyRow[], now: Date): Promise<void> {
  const rows = keys.map((k) => ({
    key_hash: tokenHash(k.apiKey),
    kind: k.kind,
    partner_ref: k.ref,
    created_at: now,
  }));
  await tx`insert into partner_keys ${tx(rows, 'key_hash', 'kind', 'partner_ref', 'created_at')}`;
}

export interface DemoIds {
  rounds: { id: number; name: string }[];
  stores: Map<string, { id: number; open: boolean }>;
  counters: Map<string, number>;
}

/** Database ids of the demo's rounds, stores and counters (identities are assigned by the database). */
export async function demoIds(
  db: Db,
  roundNames: readonly string[],
  stores: readonly { chain: string; storeNo: string }[],
  counterNames: readonly string[],
): Promise<DemoIds> {
  const chains = stores.map((s) => s.chain);
  const numbers = stores.map((s) => s.storeNo);
  const [rounds, storeRows, counters] = await Promise.all([
    db<{ id: number; name: string }[]>`
      select id, name from rounds where name in ${db(roundNames as string[])} order by registration_opens_at, id`,
    db<{ id: number; chain: string; store_no: string; open: boolean }[]>`
      select s.id, s.chain, s.store_no, s.closed_at is null as open
      from stores s join unnest(${db.array(chains)}::text[], ${db.array(numbers)}::text[]) as d (chain, store_no)
        on s.chain = d.chain and s.store_no = d.store_no`,
    db<{ id: number; name: string }[]>`
      select min(id) as id, name from airport_counters where name in ${db(counterNames as string[])} group by name`,
  ]);
  return {
    rounds,
    stores: new Map(storeRows.map((s) => [`${s.chain}:${s.store_no}`, { id: s.id, open: s.open }])),
    counters: new Map(counters.map((c) => [c.name, c.id])),
  };
}
