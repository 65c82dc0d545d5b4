import { newMessageReferences } from '../notifications/reference.js';
import type { Db, Sql } from '../platform/db.js';
import { enqueueRows } from '../platform/outbox.js';

export interface DrawRow {
  roundId: number;
  seed: string;
  algorithm: string;
  supplyPacks: number;
  orders: number;
  selected: number;
  drawnAt: Date;
}

const drawColumns = (db: Db) => db`
  round_id as "roundId", seed, algorithm, supply_packs as "supplyPacks", orders, selected, drawn_at as "drawnAt"`;

export async function drawOfRound(db: Db, roundId: number): Promise<DrawRow | undefined> {
  const rows = await db<DrawRow[]>`select ${drawColumns(db)} from draws where round_id = ${roundId}`;
  return rows[0];
}

export interface LockedRound {
  id: number;
  name: string;
  registrationClosesAt: Date;
  paymentOpensAt: Date;
  paymentClosesAt: Date;
  supplyPacks: number;
}

/**
 * The round row FOR UPDATE: one draw at a time per round, and it waits for orders in flight
 * (they hold the row FOR KEY SHARE) and holds back new ones until `drawn_at` is set.
 */
export async function lockRoundForDraw(db: Db, roundId: number): Promise<LockedRound | undefined> {
  const rows = await db<LockedRound[]>`
    select id, name, registration_closes_at as "registrationClosesAt", payment_opens_at as "paymentOpensAt",
           payment_closes_at as "paymentClosesAt", supply_packs as "supplyPacks"
    from rounds where id = ${roundId} for update`;
  return rows[0];
}

export async function countOrders(db: Db, roundId: number): Promise<number> {
  const [row] = await db<{ n: number }[]>`select count(*)::int as n from orders where round_id = ${roundId}`;
  return row?.n ?? 0;
}

/**
 * Undersubscribed round: every order is a winner, in one statement. No order row is written:
 * state and account are derived from `draw_winners` (migrations/functions/order-state.sql,
 * docs/ARCHITECTURE.md#order-lifecycle).
 */
export async function selectAll(db: Db, roundId: number): Promise<number> {
  const result = await db`
    insert into draw_winners (round_id, order_id)
    select round_id, id from orders
    where round_id = ${roundId} and state = 'registered'
    order by id`;
  return result.count;
}

/**
 * Oversubscribed round: the `supplyPacks` orders with the lowest lottery keys (ties by id) are
 * selected. No order row is written: the winners go to `draw_winners`, and an order reads as
 * selected (migrations/functions/order-state.sql, docs/ARCHITECTURE.md#order-lifecycle) (awaiting payment, with its derived virtual account) by being there;
 * the others keep `registered` and read as `not_selected` once the round is drawn
 * (src/orders/order-status.ts). Rewriting the winning rows was most of the draw's time
 * (bench/RESULTS.md (e)).
 *
 * Performance, same result as one `ORDER BY key LIMIT k`:
 * - a hash pre-filter: keys are uniform, so only about k + margin orders have a key whose first
 *   8 bytes lie below `prefilterBound(k, n)`; the sort sees those instead of all n. If fewer than
 *   k pass (improbable: the margin is ~10 standard deviations), the full sort runs instead. When
 *   at least k pass, the lowest k keys of all orders are among them, so the winners are the same.
 * - the winner ids are ranked into a temporary table (no WAL), then appended to `draw_winners`
 *   in id order (its primary key grows at its right edge).
 */
export async function selectWinners(
  db: Db,
  roundId: number,
  seedBytes: Buffer,
  supplyPacks: number,
  prefilter?: { orders: number; sigmas?: number; slack?: number },
): Promise<number> {
  await db`drop table if exists draw_ranked`;
  const bound = prefilter
    ? prefilterBound(supplyPacks, prefilter.orders, prefilter.sigmas, prefilter.slack)
    : null;
  let ranked = 0;
  if (bound) {
    const created = await db`
      create temp table draw_ranked on commit drop as
      select id from (
        select id, emask_draw_key(${seedBytes}::bytea, id) as key
        from orders where round_id = ${roundId} and state = 'registered'
      ) k
      where key <= ${bound}::bytea
      order by key, id
      limit ${supplyPacks}`;
    ranked = created.count;
    if (ranked < supplyPacks) await db`drop table draw_ranked`;
  }
  if (!bound || ranked < supplyPacks) {
    await db`
      create temp table draw_ranked on commit drop as
      select id from orders
      where round_id = ${roundId} and state = 'registered'
      order by emask_draw_key(${seedBytes}::bytea, id), id
      limit ${supplyPacks}`;
  }
  const result = await db`
    insert into draw_winners (round_id, order_id)
    select ${roundId}::int8, id from draw_ranked order by id`;
  await db`drop table draw_ranked`;
  return result.count;
}

/**
 * The largest key (32 bytes) that can still win with high probability: the first 8 bytes of
 * the key, as a fraction of 2^64, below (k + sigmas·√k + slack) / n; the remaining bytes 0xff.
 * Null when that covers (nearly) everything, so filtering would not pay.
 */
export function prefilterBound(
  supplyPacks: number,
  orders: number,
  sigmas = 10,
  slack = 1000,
): Buffer | null {
  const fraction = (supplyPacks + sigmas * Math.sqrt(supplyPacks) + slack) / orders;
  if (fraction >= 0.9) return null;
  const prefix = BigInt(Math.floor(fraction * 2 ** 53)) << 11n; // 53 bits of precision, scaled to 64
  const key = Buffer.alloc(32, 0xff);
  key.writeBigUInt64BE(prefix, 0);
  return key;
}

export interface SelectionEmail {
  from: string;
  subject: string;
  body: string;
  /** What verification says the e-mail was; may name the order id placeholder. */
  summary: string;
  orderIdPlaceholder: string;
  amountPlaceholder: string;
  /** Where each e-mail's own reference goes (the body must carry it, migration 0086). */
  referencePlaceholder: string;
}

/**
 * Queues the "selected" e-mails of a round in the draw's transaction (SPEC §8): ONE row with the
 * rendered template (migration 0051); `expandSelectedEmails` turns it into one outbox row per
 * winner afterwards. Queued at most once per round (the round's draw runs once).
 */
export async function queueSelectedEmails(
  db: Db,
  roundId: number,
  message: SelectionEmail,
  now: Date,
): Promise<void> {
  if (!message.body.includes(message.referencePlaceholder)) {
    throw new Error('a selection e-mail must carry its reference (查證碼)');
  }
  await db`
    insert into draw_email_batches (round_id, sender, subject, body, summary, order_id_placeholder,
                                    amount_placeholder, reference_placeholder, created_at)
    values (${roundId}, ${message.from}, ${message.subject}, ${message.body}, ${message.summary},
            ${message.orderIdPlaceholder}, ${message.amountPlaceholder}, ${message.referencePlaceholder}, ${now})
    on conflict (round_id) do nothing`;
}

/**
 * One chunk of a queued round's selection e-mails into the outbox: the next `chunk` winners in
 * order id order, one e-mail each (`dedupe_key` = draw-email:<order id>, so never twice), and the
 * cursor moved, in one transaction (the outbox's insert, src/platform/outbox.ts `enqueueRows`, is
 * a CTE of the chunk's one statement). The recipient is copied in SQL from `orders.email`
 * (sealed, copied as is). Each e-mail gets its own reference, drawn here (`newReferences`, the CSPRNG of
 * src/notifications/reference.ts) and written into its body and `outbox.reference`; one taken
 * already (about never) fails the chunk, which the next call repeats with new references.
 * Returns how many winners the chunk covered (0: nothing left to expand).
 */
export async function expandSelectedEmails(
  sql: Sql,
  chunk = 5_000,
  newReferences: (n: number) => string[] = newMessageReferences,
): Promise<number> {
  return sql.begin(async (tx) => {
    const [job] = await tx<
      {
        roundId: number;
        sender: string;
        subject: string;
        body: string;
        summary: string | null;
        idMark: string;
        amountMark: string;
        referenceMark: string | null;
        after: number;
        createdAt: Date;
      }[]
    >`
      select round_id as "roundId", sender, subject, body, summary, order_id_placeholder as "idMark",
             amount_placeholder as "amountMark", reference_placeholder as "referenceMark",
             expanded_through as after, created_at as "createdAt"
      from draw_email_batches where not expanded
      order by round_id limit 1 for update skip locked`;
    if (!job) return 0;
    // A batch queued before migration 0086 has neither a reference placeholder nor a summary:
    // its e-mails get a reference (checkable) that their body does not show.
    const referenceMark = job.referenceMark ?? '{reference}';
    const summary = job.summary ?? 'eMask 口罩預購獲選通知 / eMask pre-order selected';
    const references = newReferences(chunk);
    const [done] = await tx<{ n: number; last: number | null }[]>`
      with picked as (
        select w.order_id from draw_winners w
        where w.round_id = ${job.roundId} and w.order_id > ${job.after}
        order by w.order_id limit ${chunk}
      ), next as (
        select order_id, row_number() over (order by order_id) as i from picked
      ), queued as (${enqueueRows(
        tx,
        tx`
        select 'email', o.email, ${job.sender},
               replace(${job.subject}, ${job.idMark}, o.id::text),
               replace(replace(replace(${job.body}, ${job.idMark}, o.id::text), ${job.amountMark}, o.amount::text),
                       ${referenceMark}, r.reference),
               r.reference, replace(${summary}, ${job.idMark}, o.id::text),
               'draw-email:' || o.id, ${job.createdAt}, ${job.createdAt}
        from next join orders o on o.id = next.order_id
          join unnest(${references}::text[]) with ordinality as r (reference, i) on r.i = next.i`,
      )})
      select count(*)::int as n, max(order_id) as last from next`;
    const n = done?.n ?? 0;
    await tx`
      update draw_email_batches
      set expanded_through = ${done?.last ?? job.after},
          expanded = ${n < chunk}
      where round_id = ${job.roundId}`;
    // A round with no winner (or the last chunk) still counts as work done once.
    return Math.max(n, 1);
  });
}

export async function insertDraw(db: Db, draw: DrawRow & { drawnBy: string }): Promise<void> {
  await db`
    insert into draws (round_id, seed, algorithm, supply_packs, orders, selected, drawn_at, drawn_by)
    values (${draw.roundId}, ${draw.seed}, ${draw.algorithm}, ${draw.supplyPacks}, ${draw.orders},
            ${draw.selected}, ${draw.drawnAt}, ${draw.drawnBy})`;
}

/**
 * The public export: every order of the drawn round, id and selected flag only (no personal
 * data), in id order, streamed in batches so a round of millions does not sit in memory.
 */
export function exportCursor(db: Db, roundId: number, batch = 10_000) {
  return db<{ id: number; selected: boolean }[]>`
    select o.id, (w.order_id is not null or o.state in ('awaiting_payment', 'collected')) as selected
    from orders o left join draw_winners w on w.round_id = o.round_id and w.order_id = o.id
    where o.round_id = ${roundId} order by o.id`.cursor(batch);
}
