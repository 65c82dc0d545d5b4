import type { Db } from '../platform/db.js';
import type { Vault } from '../platform/vault.js';
import type { Day } from '../rules/taipei-date.js';
import type { DocumentType } from './documents.js';
import type { CollectableOrder } from './pickup-rules.js';

export interface PickupOrder extends CollectableOrder {
  id: number;
  personId: number;
  amount: number;
  collectedAt: Date | null;
  buyerName: string;
  nationalId: string;
  arcNumber: string | null;
}

interface PickupOrderRow {
  id: number;
  personId: number;
  storeId: number;
  state: PickupOrder['state'];
  amount: number;
  collectedAt: Date | null;
  pickupStartsOn: Day;
  pickupEndsOn: Day;
  buyerName: string;
  nationalId: string;
  arcNumber: string | null;
  storeChain: string;
  storeNo: string;
  storeName: string;
  storeAddress: string;
}

const columns = (db: Db) => db`
  o.id, o.person_id as "personId", o.store_id as "storeId",
  emask_order_state(o.state, o.round_id, o.id) as state, o.amount, o.collected_at as "collectedAt",
  to_char(r.pickup_starts_on, 'YYYY-MM-DD') as "pickupStartsOn", to_char(r.pickup_ends_on, 'YYYY-MM-DD') as "pickupEndsOn",
  p.name as "buyerName", p.national_id as "nationalId", p.arc_number as "arcNumber",
  s.chain as "storeChain", s.store_no as "storeNo", s.name as "storeName", s.address as "storeAddress"`;

/** Name and ID numbers are stored sealed; the clerk's check needs them opened. */
function toOrder(vault: Vault, row: PickupOrderRow): PickupOrder {
  const { storeChain, storeNo, storeName, storeAddress, ...rest } = row;
  return {
    ...rest,
    buyerName: vault.open('name', row.buyerName),
    nationalId: vault.open('national_id', row.nationalId),
    arcNumber: vault.openOptional('arc_number', row.arcNumber),
    store: { id: row.storeId, chain: storeChain, storeNo, name: storeName, address: storeAddress },
  };
}

/** The order a pickup serial belongs to; `lock` takes the order row (after the person row). */
export async function orderBySerial(
  db: Db,
  vault: Vault,
  serial: string,
  lock = false,
): Promise<PickupOrder | undefined> {
  const rows = lock
    ? await db<PickupOrderRow[]>`
        select ${columns(db)}
        from order_payments op join orders o on o.id = op.order_id join rounds r on r.id = o.round_id
          join persons p on p.id = o.person_id join stores s on s.id = o.store_id
        where op.pickup_serial = ${serial}
        for update of o`
    : await db<PickupOrderRow[]>`
        select ${columns(db)}
        from order_payments op join orders o on o.id = op.order_id join rounds r on r.id = o.round_id
          join persons p on p.id = o.person_id join stores s on s.id = o.store_id
        where op.pickup_serial = ${serial}`;
  const row = rows[0];
  return row ? toOrder(vault, row) : undefined;
}

export async function currentCardNo(db: Db, personId: number): Promise<string | null> {
  const rows = await db<{ card_no: string }[]>`
    select card_no from cards where person_id = ${personId} and revoked_at is null`;
  return rows[0]?.card_no ?? null;
}

export async function insertSlip(db: Db, orderId: number, storeId: number, now: Date): Promise<number> {
  const [row] = await db<{ id: number }[]>`
    insert into pickup_slips (order_id, store_id, printed_at) values (${orderId}, ${storeId}, ${now}) returning id`;
  if (!row) throw new Error('slip insert returned nothing');
  return row.id;
}

export async function insertPickup(
  db: Db,
  p: {
    orderId: number;
    storeId: number;
    packs: number;
    now: Date;
    buyerDocumentType: DocumentType;
    proxy: { type: DocumentType; masked: string } | null;
  },
): Promise<void> {
  await db`
    insert into pickups (order_id, store_id, packs, collected_at, buyer_document_type,
                         proxy_document_type, proxy_document_masked)
    values (${p.orderId}, ${p.storeId}, ${p.packs}, ${p.now}, ${p.buyerDocumentType},
            ${p.proxy?.type ?? null}, ${p.proxy?.masked ?? null})`;
}

export async function collectedPacks(db: Db, orderId: number): Promise<{ packs: number; exchanged: number }> {
  const [row] = await db<{ packs: number; exchanged: number }[]>`
    select coalesce((select packs from pickups where order_id = ${orderId}), 1) as packs,
           coalesce((select sum(packs) from exchanges where order_id = ${orderId}), 0)::int as exchanged`;
  return row ?? { packs: 1, exchanged: 0 };
}

export async function insertExchange(
  db: Db,
  e: { orderId: number; storeId: number; packs: number; now: Date },
): Promise<number> {
  const [row] = await db<{ id: number }[]>`
    insert into exchanges (order_id, store_id, packs, exchanged_at)
    values (${e.orderId}, ${e.storeId}, ${e.packs}, ${e.now}) returning id`;
  if (!row) throw new Error('exchange insert returned nothing');
  return row.id;
}
