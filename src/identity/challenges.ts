import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import { createRequire } from 'node:module';
import type { Db } from '../platform/db.js';
import type { AppError } from '../platform/errors.js';
import { pooledRandomBytes } from '../platform/random.js';
import type { Vault } from '../platform/vault.js';

/** API.md: a challenge lives at most 5 minutes and is single use. */
export const CHALLENGE_TTL_MS = 5 * 60 * 1000;

export interface Challenge {
  challengeId: string;
  nonce: string;
  expiresAt: Date;
}

/**
 * Challenges are stateless until used (bench/RESULTS.md (b): a POS asks for one per sale).
 * - The id is a UUIDv7 (RFC 9562): its first 48 bits are the platform clock's millisecond at
 *   issue, the other 74 free bits random. The challenge is valid from that instant for
 *   CHALLENGE_TTL_MS (a clock set back before it, as the demo's manual clock can be, also
 *   refuses it).
 * - The nonce is a keyed MAC of the id (`Vault.mac`, HMAC-SHA256 under a server secret), so only
 *   the platform can tell it, for an id it issued, and any process of the platform can re-derive
 *   it without a shared table or cache.
 * - Issuing writes nothing. Using one inserts its id into `challenges` (`used_at` set) in the
 *   transaction that acts on the signature; the primary key makes it single use: of two requests
 *   racing with one challenge, exactly one inserts it (`takeChallenge`, and the sale's batched
 *   `spendChallenges`).
 */
export function createChallenge(vault: Vault, now: Date): Challenge {
  const challengeId = uuidV7(now, pooledRandomBytes(10));
  return {
    challengeId,
    nonce: nonceOf(vault, challengeId),
    expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS),
  };
}

function nonceOf(vault: Vault, challengeId: string): string {
  return vault.mac('challenge', challengeId.toLowerCase()).toString('base64url');
}

/** A UUIDv7 text: 48-bit big-endian millisecond, version 7, variant 10, 74 bits from `random`. */
export function uuidV7(at: Date, random: Buffer): string {
  const b = Buffer.alloc(16);
  b.writeUIntBE(at.getTime(), 0, 6);
  random.copy(b, 6, 0, 10);
  b[6] = 0x70 | ((b[6] as number) & 0x0f);
  b[8] = 0x80 | ((b[8] as number) & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** A challenge as `challenges` records its use. */
export interface IssuedChallenge extends Challenge {
  createdAt: Date;
}

/**
 * The challenge `challengeId` as the platform issued it, if it is valid at `now` — whether it
 * was used already is for the database to say. Null for an id the platform cannot have issued
 * (no UUIDv7), one issued after `now`, or one expired.
 */
export function issuedChallenge(vault: Vault, challengeId: string, now: Date): IssuedChallenge | null {
  if (!UUID_V7.test(challengeId)) return null;
  const createdAt = new Date(Number.parseInt(challengeId.slice(0, 8) + challengeId.slice(9, 13), 16));
  const expiresAt = new Date(createdAt.getTime() + CHALLENGE_TTL_MS);
  if (createdAt.getTime() > now.getTime() || expiresAt.getTime() <= now.getTime()) return null;
  return { challengeId: challengeId.toLowerCase(), nonce: nonceOf(vault, challengeId), createdAt, expiresAt };
}

/**
 * Use up a challenge and return its nonce. Atomic (`INSERT … ON CONFLICT DO NOTHING RETURNING`
 * on the primary key): of two requests racing with one challenge exactly one gets the nonce.
 * Call it inside the transaction that acts on the signature; callers that must burn the
 * challenge even on refusal consume it in their own statement first.
 * Unknown, used or expired → `onInvalid` (the caller's own error: AUTH_FAILED, CARD_NOT_PRESENT, …).
 */
export async function consumeChallenge(
  db: Db,
  vault: Vault,
  challengeId: string,
  now: Date,
  onInvalid: () => AppError,
): Promise<string> {
  const nonce = await takeChallenge(db, vault, challengeId, now);
  if (nonce === null) throw onInvalid();
  return nonce;
}

/**
 * `consumeChallenge` for callers that must do something before refusing (count a failed
 * login against a rate limit): the nonce, or null when the challenge is unknown, used or expired.
 */
export async function takeChallenge(
  db: Db,
  vault: Vault,
  challengeId: string,
  now: Date,
): Promise<string | null> {
  const c = issuedChallenge(vault, challengeId, now);
  if (c === null) return null;
  const rows = await db`
    insert into challenges (id, nonce, created_at, expires_at, used_at)
    values (${c.challengeId}, ${c.nonce}, ${c.createdAt}, ${c.expiresAt}, ${now})
    on conflict (id) do nothing
    returning id`;
  return rows.length === 1 ? c.nonce : null;
}

export interface ConsumeQuery {
  cardNo: string;
  /** The PEM the signature was verified with: the card must still be valid with THIS key. */
  publicKeyPem: string;
  /** The challenge as issued (src/identity/challenges.ts `issuedChallenge`), valid at `now`. */
  challenge: IssuedChallenge;
  now: Date;
}

/**
 * `takeChallenge` for a batch of card presences (a sale batch, sell-at-pharmacy.ts), in the
 * transaction that acts on them: for each, is its card still valid with the key its signature was
 * verified with, and, only if so, its challenge used up now (its id inserted, `on conflict do
 * nothing`: of two presences with one challenge exactly one inserts it). Returns, per query,
 * `card` (still valid) and `used` (this presence used the challenge): card-presence.ts
 * `spendRefusal` reads them. Sends its statement when called (it may be pipelined).
 */
export async function spendChallenges(
  db: Db,
  queries: readonly ConsumeQuery[],
): Promise<{ card: boolean; used: boolean }[]> {
  const col = (f: (q: ConsumeQuery) => string) => db.array(queries.map(f));
  const rows = await db<{ n: number; card: boolean; used: boolean }[]>`
    with i as (
      select * from unnest(${col((q) => q.cardNo)}::text[], ${col((q) => q.publicKeyPem)}::text[],
                           ${col((q) => q.challenge.challengeId)}::text[]::uuid[],
                           ${col((q) => q.challenge.nonce)}::text[],
                           ${col((q) => q.challenge.createdAt.toISOString())}::text[]::timestamptz[],
                           ${col((q) => q.challenge.expiresAt.toISOString())}::text[]::timestamptz[],
                           ${col((q) => q.now.toISOString())}::text[]::timestamptz[])
        with ordinality as t (card_no, pem, challenge_id, nonce, created_at, expires_at, now, n)
    ), v as (
      select i.* from i
      join cards c on c.card_no = i.card_no::bpchar and c.revoked_at is null and c.public_key_pem = i.pem
    ), first as (
      select distinct on (challenge_id) * from v order by challenge_id, n
    ), u as (
      insert into challenges (id, nonce, created_at, expires_at, used_at)
      select challenge_id, nonce, created_at, expires_at, now from first
      on conflict (id) do nothing
      returning id
    )
    select i.n::int as n, v.n is not null as card,
           exists (select 1 from u join first f on f.challenge_id = u.id where f.n = i.n) as used
    from i left join v on v.n = i.n
    order by i.n`.execute();
  if (rows.length !== queries.length) throw new Error('challenge use returned a wrong number of rows');
  return rows.map((r) => ({ card: r.card, used: r.used }));
}

/**
 * An Ed25519 public key in SPKI PEM (API.md "Cryptography"), normalised, or null when the
 * text is not one (devices must bind an Ed25519 key).
 */
export function parseEd25519PublicKeyPem(pem: string): string | null {
  // createPublicKey would also derive a public key from a private one: accept public keys only.
  if (!pem.includes('-----BEGIN PUBLIC KEY-----')) return null;
  try {
    const key = createPublicKey({ key: pem, format: 'pem' });
    if (key.type !== 'public' || key.asymmetricKeyType !== 'ed25519') return null;
    return key.export({ type: 'spki', format: 'pem' }).toString();
  } catch {
    return null;
  }
}

/** The one libsodium call used: Ed25519 verification of a detached signature. */
interface Sodium {
  crypto_sign_verify_detached(signature: Buffer, message: Buffer, publicKey: Buffer): boolean;
}

/**
 * libsodium (`sodium-native`, prebuilt for Linux x64/arm64): an Ed25519 verification costs ≈ 37 µs
 * there against ≈ 83 µs through OpenSSL 3.0 (`crypto.verify`), and it was a third of the API's
 * CPU per pharmacy sale (bench/RESULTS.md (b)). Where the addon cannot load, node:crypto
 * verifies. Both implement RFC 8032 and agree on every canonical signature (challenges.test.ts);
 * libsodium additionally refuses small-order keys and non-canonical encodings, which no genuine
 * card or device produces.
 */
const sodium: Sodium | null = (() => {
  try {
    return createRequire(import.meta.url)('sodium-native') as Sodium;
  } catch {
    return null;
  }
})();

/** Which implementation verifies signatures in this process. */
export const ed25519Verifier: 'libsodium' | 'openssl' = sodium ? 'libsodium' : 'openssl';

interface ParsedKey {
  key: KeyObject;
  /** The raw 32-byte Ed25519 public key (RFC 8032), or null for another kind of key. */
  raw: Buffer | null;
}

/**
 * Parsed public keys by their PEM text (bench/RESULTS.md (b): parsing the PEM on every sale was
 * 7 % of the API's CPU). Keyed by the key itself, never by card or device: the caller has just
 * read the PEM of a VALID card (or device) from the database, so a revoked card is refused
 * there, and a reissued card has another PEM, hence another entry. Bounded; oldest out first.
 */
const parsedKeys = new Map<string, ParsedKey>();
const MAX_PARSED_KEYS = 20_000;

function publicKeyOf(publicKeyPem: string): ParsedKey {
  let parsed = parsedKeys.get(publicKeyPem);
  if (parsed === undefined) {
    const key = createPublicKey(publicKeyPem);
    const x = key.asymmetricKeyType === 'ed25519' ? key.export({ format: 'jwk' }).x : undefined;
    parsed = { key, raw: x === undefined ? null : Buffer.from(x, 'base64url') };
    if (parsedKeys.size >= MAX_PARSED_KEYS) {
      const oldest = parsedKeys.keys().next().value;
      if (oldest !== undefined) parsedKeys.delete(oldest);
    }
    parsedKeys.set(publicKeyPem, parsed);
  }
  return parsed;
}

/** API.md "Cryptography": base64url Ed25519 signature over the UTF-8 bytes of the nonce. */
export function verifyEd25519(publicKeyPem: string, nonce: string, signatureB64url: string): boolean {
  try {
    if (!/^[A-Za-z0-9_-]+={0,2}$/.test(signatureB64url)) return false;
    const { key, raw } = publicKeyOf(publicKeyPem);
    if (raw === null || raw.length !== 32) return false;
    const signature = Buffer.from(signatureB64url, 'base64url');
    const message = Buffer.from(nonce, 'utf8');
    if (sodium) return signature.length === 64 && sodium.crypto_sign_verify_detached(signature, message, raw);
    return verify(null, message, key, signature);
  } catch {
    return false;
  }
}
