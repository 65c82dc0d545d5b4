import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Db, Sql } from './db.js';
import type { Deps } from './deps.js';
import { AppError } from './errors.js';
import { batcherFor, MicroBatcher } from './micro-batch.js';
import { newToken, tokenHash } from './secrets.js';

/** How a citizen proved who they are; payment rules depend on it (SPEC §5, [ORD 24.7]). */
export type Channel = 'web_card' | 'web_certificate' | 'app_phone' | 'app_device' | 'counter';
export const WEB_CHANNELS: readonly Channel[] = ['web_card', 'web_certificate'];

export type PartnerKind = 'pharmacy' | 'store' | 'airport';

export type Principal =
  | { kind: 'admin'; username: string; tokenHash: Buffer }
  | { kind: 'citizen'; personId: number; channel: Channel; deviceId: number | null; tokenHash: Buffer }
  | { kind: 'partner'; partnerKind: PartnerKind; partnerRef: string };

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}

/** API.md: citizen and operator tokens expire at most 24 hours after their last use. */
export const SESSION_IDLE_MS = 24 * 60 * 60 * 1000;
/** Sliding expiry is refreshed at most this often, so a busy session costs one write per minute, not per call. */
const SESSION_REFRESH_MS = 60 * 1000;

export interface NewSession {
  kind: 'admin' | 'citizen';
  personId?: number;
  adminUsername?: string;
  channel?: Channel;
  deviceId?: number;
}

export async function createSession(db: Db, session: NewSession, now: Date): Promise<string> {
  const token = newToken(session.kind === 'admin' ? 'adm' : 'cit');
  const expires = new Date(now.getTime() + SESSION_IDLE_MS);
  await db`
    insert into sessions (token_hash, kind, person_id, admin_username, channel, device_id,
                          created_at, last_used_at, expires_at)
    values (${tokenHash(token)}, ${session.kind}, ${session.personId ?? null}, ${session.adminUsername ?? null},
            ${session.channel ?? null}, ${session.deviceId ?? null}, ${now}, ${now}, ${expires})`;
  return token;
}

export async function revokeSession(db: Db, hash: Buffer, now: Date): Promise<void> {
  await db`update sessions set revoked_at = ${now} where token_hash = ${hash} and revoked_at is null`;
}

/** The token of an `Authorization: Bearer …` header, or null. */
export function bearer(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ?? null;
}

interface SessionRow {
  kind: 'admin' | 'citizen';
  person_id: number | null;
  admin_username: string | null;
  channel: Channel | null;
  device_id: number | null;
  last_used_at: Date;
  expires_at: Date;
}

interface SessionLookupRow extends SessionRow {
  token_hash: Buffer;
}

/**
 * Session look-ups of concurrent requests are read in one statement (`token_hash = any(…)`, up to
 * 500 at a time, bench/RESULTS.md): every request still reads the database after it arrived, so
 * a logout or revocation takes effect for the very next request, in every process; only the
 * round trips and the per-statement overhead are shared. Expiry is checked per request against
 * its own clock reading.
 */
const lookupSession = batchedByHash<SessionLookupRow>(
  (sql, hexes) => sql<SessionLookupRow[]>`
    select token_hash, kind, person_id, admin_username, channel, device_id, last_used_at, expires_at
    from sessions
    where token_hash = any(array(select decode(h, 'hex') from unnest(${sql.array(hexes)}::text[]) h))
      and revoked_at is null`,
  (row) => row.token_hash,
);

async function resolveSession(deps: Deps, token: string): Promise<Principal | null> {
  const hash = tokenHash(token);
  const now = deps.clock.now();
  const row = await lookupSession(deps.sql, hash);
  if (!row || row.expires_at.getTime() <= now.getTime()) return null;
  if (now.getTime() - row.last_used_at.getTime() > SESSION_REFRESH_MS) {
    await deps.sql`update sessions set last_used_at = ${now}, expires_at = ${new Date(now.getTime() + SESSION_IDLE_MS)}
      where token_hash = ${hash}`;
  }
  if (row.kind === 'admin' && row.admin_username) {
    return { kind: 'admin', username: row.admin_username, tokenHash: hash };
  }
  if (row.kind === 'citizen' && row.person_id !== null && row.channel) {
    return {
      kind: 'citizen',
      personId: row.person_id,
      channel: row.channel,
      deviceId: row.device_id,
      tokenHash: hash,
    };
  }
  return null;
}

interface PartnerKeyRow {
  key_hash: Buffer;
  kind: PartnerKind;
  partner_ref: string;
}

/** Partner keys of concurrent requests in one statement, exactly as sessions (no cache: revocation is immediate). */
const lookupPartnerKey = batchedByHash<PartnerKeyRow>(
  (sql, hexes) => sql<PartnerKeyRow[]>`
    select key_hash, kind, partner_ref from partner_keys
    where key_hash = any(array(select decode(h, 'hex') from unnest(${sql.array(hexes)}::text[]) h))
      and revoked_at is null`,
  (row) => row.key_hash,
);

/**
 * A look-up by SHA-256 hash whose concurrent calls on one pool are read in one statement (up to
 * 500 at a time, 4 statements in flight): `query` gets the distinct hashes in hex, each call
 * its own row (or undefined).
 */
function batchedByHash<Row>(
  query: (sql: Sql, hexes: string[]) => Promise<Row[]>,
  hashOf: (row: Row) => Buffer,
): (sql: Sql, hash: Buffer) => Promise<Row | undefined> {
  const batchers = new WeakMap<Sql, MicroBatcher<Buffer, Row | undefined>>();
  return (sql, hash) =>
    batcherFor(
      batchers,
      sql,
      () =>
        new MicroBatcher<Buffer, Row | undefined>(
          async (hashes) => {
            const rows = await query(sql, [...new Set(hashes.map((h) => h.toString('hex')))]);
            const byHash = new Map(rows.map((r) => [hashOf(r).toString('hex'), r]));
            return hashes.map((h) => byHash.get(h.toString('hex')));
          },
          { maxBatch: 500, maxConcurrent: 4 },
        ),
    ).submit(hash);
}

async function resolvePartner(deps: Deps, key: string): Promise<Principal | null> {
  const row = await lookupPartnerKey(deps.sql, tokenHash(key));
  return row ? { kind: 'partner', partnerKind: row.kind, partnerRef: row.partner_ref } : null;
}

type Guard = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

const unauthorized = () =>
  new AppError('UNAUTHORIZED', 'Sign in first: the bearer token is missing, expired or invalid.');

export function requireAdmin(deps: Deps): Guard {
  return async (request) => {
    const token = bearer(request);
    const principal = token ? await resolveSession(deps, token) : null;
    if (!principal) throw unauthorized();
    if (principal.kind !== 'admin') throw new AppError('FORBIDDEN', 'Only operators may do this.');
    request.principal = principal;
  };
}

/** A citizen session; `channels` narrows which ways of signing in are accepted. */
export function requireCitizen(deps: Deps, channels?: readonly Channel[]): Guard {
  return async (request) => {
    const token = bearer(request);
    const principal = token ? await resolveSession(deps, token) : null;
    if (!principal) throw unauthorized();
    if (principal.kind !== 'citizen') throw new AppError('FORBIDDEN', 'Only a signed-in person may do this.');
    if (channels && !channels.includes(principal.channel)) {
      throw new AppError('FORBIDDEN', 'This needs a web sign-in with an NHI card or a citizen certificate.');
    }
    request.principal = principal;
  };
}

/**
 * A partner key of the given kind, scoped to the partner named in the route parameter
 * `paramName` (a pharmacy's key works for that pharmacy only).
 */
export function requirePartner(deps: Deps, kind: PartnerKind, paramName: string): Guard {
  return async (request) => {
    const token = bearer(request);
    const principal = token ? await resolvePartner(deps, token) : null;
    if (principal?.kind !== 'partner') throw unauthorized();
    const params = request.params as Record<string, string | undefined>;
    if (principal.partnerKind !== kind || principal.partnerRef !== String(params[paramName])) {
      throw new AppError('FORBIDDEN', 'This key is not valid for this partner.');
    }
    request.principal = principal;
  };
}

export function citizenOf(request: FastifyRequest): Extract<Principal, { kind: 'citizen' }> {
  const p = request.principal;
  if (p?.kind !== 'citizen') throw new AppError('UNAUTHORIZED', 'Sign in first.');
  return p;
}

export function adminOf(request: FastifyRequest): Extract<Principal, { kind: 'admin' }> {
  const p = request.principal;
  if (p?.kind !== 'admin') throw new AppError('UNAUTHORIZED', 'Sign in first.');
  return p;
}

export function partnerOf(request: FastifyRequest): Extract<Principal, { kind: 'partner' }> {
  const p = request.principal;
  if (p?.kind !== 'partner') throw new AppError('UNAUTHORIZED', 'A partner key is required.');
  return p;
}

/** Issue a partner key: returned once, stored hashed. */
export async function issuePartnerKey(db: Db, kind: PartnerKind, ref: string, now: Date): Promise<string> {
  const key = newToken(`pk_${kind}`);
  await db`insert into partner_keys (key_hash, kind, partner_ref, created_at)
    values (${tokenHash(key)}, ${kind}, ${ref}, ${now})`;
  return key;
}

/** Stop every working key of one partner at once (the very next request with one is refused); how many. */
export async function revokePartnerKeys(db: Db, kind: PartnerKind, ref: string, now: Date): Promise<number> {
  const rows = await db`
    update partner_keys set revoked_at = ${now}
     where kind = ${kind} and partner_ref = ${ref} and revoked_at is null
    returning 1`;
  return rows.length;
}

/** Serialises key changes of one partner until the transaction ends, so a rotation leaves exactly one key. */
export async function lockPartnerKeys(db: Db, kind: PartnerKind, ref: string): Promise<void> {
  await db`select pg_advisory_xact_lock(hashtextextended(${`partner_keys:${kind}:${ref}`}, 0))`;
}

/** Revoke a live session (citizen or operator); false when it is unknown, expired or already revoked. */
export async function revokeLiveSession(db: Db, hash: Buffer, now: Date): Promise<boolean> {
  const rows = await db`
    update sessions set revoked_at = ${now}
    where token_hash = ${hash} and revoked_at is null and expires_at > ${now}
    returning 1`;
  return rows.length === 1;
}
