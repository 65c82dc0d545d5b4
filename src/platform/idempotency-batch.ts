import type postgres from 'postgres';
import type { Db } from './db.js';
import { AppError, errorBody } from './errors.js';

/**
 * THE ONE PLACE that knows how an Idempotency-Key's record (table `idempotency_keys`) is claimed,
 * replayed, refused as reused, and settled, for many requests at once (one statement serves a
 * whole batch: bench/RESULTS.md (b)). `withIdempotency` (idempotency.ts) is the one-request form
 * of the same functions. A record is claimed by inserting it (its primary key makes a concurrent
 * duplicate wait for the first transaction to end), answered by storing `{status, body}` in the
 * transaction that acted, and given back by deleting it.
 */

/** What a partner call answered: replayed verbatim (status and body) on a retry with the same key. */
export interface Outcome<B = unknown> {
  status: number;
  body: B;
}

/** A request's key: `scope` is whose keys they are (`pharmacy:5901010101`), so partners never collide. */
export interface KeyRef {
  scope: string;
  key: string;
}

export interface KeyClaim extends KeyRef {
  /** `fingerprintOf(…)` of the request: the same key with a different request is refused. */
  fingerprint: string;
  now: Date;
}

/** A key's committed record; all null when there is none. */
export interface KeyRecord {
  fingerprint: string | null;
  status: number | null;
  body: unknown;
}

export function keyReused(): AppError {
  return new AppError(
    'IDEMPOTENCY_KEY_REUSED',
    'This Idempotency-Key was already used for a different request; use a new key for a new request.',
  );
}

/** A refusal as the outcome recorded and answered for it (the error handler's `{error}` body). */
export function refusalOutcome(error: AppError): Outcome<ReturnType<typeof errorBody>> {
  return { status: error.status, body: errorBody(error) };
}

/**
 * What a key's record answers a request with `fingerprint`: its outcome (a replay), a refusal
 * (the key was used for another request), or nothing yet (no record, or one whose transaction
 * has not stored its outcome: not visible once that commits, so it cannot be answered from).
 */
export type Replay<B = unknown> =
  | { kind: 'replay'; outcome: Outcome<B> }
  | { kind: 'reused'; error: AppError }
  | { kind: 'pending' };

export function replayOf<B = unknown>(record: KeyRecord | undefined, fingerprint: string): Replay<B> {
  if (!record || record.status === null) return { kind: 'pending' };
  if (record.fingerprint !== fingerprint) return { kind: 'reused', error: keyReused() };
  return { kind: 'replay', outcome: { status: record.status, body: record.body as B } };
}

/** A claim: this transaction holds the key and must settle it, or what its record answers. */
export type Claim<B = unknown> = { kind: 'claimed' } | Replay<B>;

/**
 * Claims keys, in (scope, key) order so that concurrent batches never wait on each other in
 * opposite orders. A key another transaction holds is waited for (the insert waits on its primary
 * key); then its committed record answers (`replayOf`, read in a new snapshot), or, if that
 * transaction rolled back, the key is not claimed here and `pending` (the caller tries again).
 * One answer per claim, in order. Sends its first statement when called (it may be pipelined).
 * Keys must be distinct (`firstOfEachKey`).
 */
export async function claimKeys<B = unknown>(db: Db, claims: readonly KeyClaim[]): Promise<Claim<B>[]> {
  if (claims.length === 0) return [];
  const col = (f: (k: KeyClaim) => string) => db.array(claims.map(f));
  const rows = await db<KeyRef[]>`
    insert into idempotency_keys (scope, key, fingerprint, created_at)
    select scope, key, fingerprint, now
    from unnest(${col((k) => k.scope)}::text[], ${col((k) => k.key)}::text[], ${col((k) => k.fingerprint)}::text[],
                ${col((k) => k.now.toISOString())}::text[]::timestamptz[]) as t (scope, key, fingerprint, now)
    order by scope, key
    on conflict (scope, key) do nothing
    returning scope, key`.execute();
  const claimed = new Set(rows.map((r) => keyId(r)));
  const taken = claims.filter((c) => !claimed.has(keyId(c)));
  const records = taken.length > 0 ? await keyRecords(db, taken) : [];
  const byKey = new Map(taken.map((c, j) => [keyId(c), records[j]]));
  return claims.map((c) =>
    claimed.has(keyId(c)) ? { kind: 'claimed' } : replayOf<B>(byKey.get(keyId(c)), c.fingerprint),
  );
}

/**
 * The committed records of keys, one row per key in order (`n`, from 1; all null where there is
 * none; an empty key has none). A query: await it, or embed it in a larger read so that the
 * records are read in the same snapshot as the rest (the sale's presence read, pharmacies.repo.ts).
 */
export function keyRecordsQuery(
  db: Db,
  keys: readonly KeyRef[],
): postgres.PendingQuery<(KeyRecord & { n: number })[]> {
  return db<(KeyRecord & { n: number })[]>`
    select t.n::int as n, k.fingerprint, k.status, k.body
    from unnest(${db.array(keys.map((k) => k.scope))}::text[], ${db.array(keys.map((k) => k.key))}::text[])
           with ordinality as t (scope, key, n)
      left join idempotency_keys k on t.key <> '' and k.scope = t.scope and k.key = t.key`;
}

async function keyRecords(db: Db, keys: readonly KeyRef[]): Promise<KeyRecord[]> {
  const rows = await keyRecordsQuery(db, keys).execute();
  const byN = new Map(rows.map(({ n, ...record }) => [n, record]));
  return keys.map((_, j) => byN.get(j + 1) ?? { fingerprint: null, status: null, body: null });
}

/**
 * Stores the outcomes of claimed keys, and gives back the claims of requests that record nothing
 * (their error propagates and a retry acts afresh). Sends its statements when called.
 */
export async function settleKeys(
  db: Db,
  outcomes: readonly (KeyRef & Outcome)[],
  released: readonly KeyRef[] = [],
): Promise<void> {
  const work: Promise<unknown>[] = [];
  if (outcomes.length > 0) {
    const col = (f: (o: (typeof outcomes)[number]) => string) => db.array(outcomes.map(f));
    work.push(
      db`
      update idempotency_keys k set status = t.status, body = t.body
      from unnest(${col((o) => o.scope)}::text[], ${col((o) => o.key)}::text[], ${col((o) => String(o.status))}::text[]::int[],
                  ${col((o) => JSON.stringify(o.body ?? null))}::text[]::jsonb[]) as t (scope, key, status, body)
      where k.scope = t.scope and k.key = t.key`.execute(),
    );
  }
  if (released.length > 0) {
    work.push(
      db`
      delete from idempotency_keys k
      using unnest(${db.array(released.map((r) => r.scope))}::text[], ${db.array(released.map((r) => r.key))}::text[]) as t (scope, key)
      where k.scope = t.scope and k.key = t.key`.execute(),
    );
  }
  await Promise.all(work);
}

const keyId = (k: KeyRef) => `${k.scope}\n${k.key}`;

/**
 * Which requests of a batch go on now: all without a key, and the first with each key. A second
 * request with a key already in the batch waits for a later batch, where it finds the first one's
 * record (as a concurrent duplicate waits on the key's row). Indexes into `items`, in order.
 */
export function firstOfEachKey<T>(
  items: readonly T[],
  keyOf: (item: T) => KeyRef | undefined,
): { first: number[]; later: number[] } {
  const seen = new Set<string>();
  const first: number[] = [];
  const later: number[] = [];
  items.forEach((item, i) => {
    const ref = keyOf(item);
    if (ref !== undefined) {
      if (seen.has(keyId(ref))) {
        later.push(i);
        return;
      }
      seen.add(keyId(ref));
    }
    first.push(i);
  });
  return { first, later };
}
