import { createPublicKey, type KeyObject, randomBytes, randomUUID, verify } from 'node:crypto';
import type { Db, Sql } from '../platform/db.js';
import type { AppError } from '../platform/errors.js';
import { batcherFor, MicroBatcher } from '../platform/micro-batch.js';

/** API.md: a challenge lives at most 5 minutes and is single use. */
export const CHALLENGE_TTL_MS = 5 * 60 * 1000;

export interface Challenge {
  challengeId: string;
  nonce: string;
  expiresAt: Date;
}

interface NewChallenge extends Challenge {
  createdAt: Date;
}

/**
 * Issues a challenge; it is stored (durably) before it is returned. On the pool, the inserts of
 * concurrent requests are coalesced into one multi-row statement and one commit (bench/RESULTS.md
 * (b): a POS asks for one per sale); inside a transaction it is one insert of that transaction.
 */
export async function createChallenge(db: Db, now: Date): Promise<Challenge> {
  const challenge: NewChallenge = {
    challengeId: randomUUID(),
    nonce: randomBytes(32).toString('base64url'),
    createdAt: now,
    expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS),
  };
  if (isPool(db)) {
    await batcherFor(
      challengeBatchers,
      db,
      () => new MicroBatcher<NewChallenge, null>((items) => insertChallenges(db, items), BATCH),
    ).submit(challenge);
  } else {
    await insertChallenges(db, [challenge]);
  }
  return { challengeId: challenge.challengeId, nonce: challenge.nonce, expiresAt: challenge.expiresAt };
}

const BATCH = { maxBatch: 500, maxConcurrent: 2 };
const challengeBatchers = new WeakMap<Sql, MicroBatcher<NewChallenge, null>>();

/** The pool (which can begin transactions), as opposed to an open transaction. */
function isPool(db: Db): db is Sql {
  return typeof (db as Partial<Sql>).begin === 'function';
}

async function insertChallenges(db: Db, items: readonly NewChallenge[]): Promise<null[]> {
  const col = (f: (c: NewChallenge) => string) => db.array(items.map(f));
  await db`
    insert into challenges (id, nonce, created_at, expires_at)
    select * from unnest(${col((c) => c.challengeId)}::text[]::uuid[], ${col((c) => c.nonce)}::text[],
                         ${col((c) => c.createdAt.toISOString())}::text[]::timestamptz[],
                         ${col((c) => c.expiresAt.toISOString())}::text[]::timestamptz[])`;
  return items.map(() => null);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether the text can be a challenge id at all (anything else is unknown without asking). */
export function isChallengeId(challengeId: string): boolean {
  return UUID.test(challengeId);
}

/**
 * Use up a challenge and return its nonce. Atomic (`UPDATE … WHERE used_at IS NULL
 * RETURNING`): of two requests racing with one challenge exactly one gets the nonce.
 * Call it inside the transaction that acts on the signature, so a refused action that rolls
 * back also leaves the challenge unused only if the caller wants that — callers that must
 * burn the challenge even on refusal consume it in their own statement first.
 * Unknown, used or expired → `onInvalid` (the caller's own error: AUTH_FAILED, CARD_NOT_PRESENT, …).
 */
export async function consumeChallenge(
  db: Db,
  challengeId: string,
  now: Date,
  onInvalid: () => AppError,
): Promise<string> {
  const nonce = await takeChallenge(db, challengeId, now);
  if (nonce === null) throw onInvalid();
  return nonce;
}

/**
 * `consumeChallenge` for callers that must do something before refusing (count a failed
 * login against a rate limit): the nonce, or null when the challenge is unknown, used or expired.
 */
export async function takeChallenge(db: Db, challengeId: string, now: Date): Promise<string | null> {
  if (!UUID.test(challengeId)) return null;
  const rows = await db<{ nonce: string }[]>`
    update challenges set used_at = ${now}
    where id = ${challengeId} and used_at is null and expires_at > ${now} and created_at <= ${now}
    returning nonce`;
  return rows[0]?.nonce ?? null;
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

/**
 * Parsed public keys by their PEM text (bench/RESULTS.md (b): parsing the PEM on every sale was
 * 7 % of the API's CPU). Keyed by the key itself, never by card or device: the caller has just
 * read the PEM of a VALID card (or device) from the database, so a revoked card is refused
 * there, and a reissued card has another PEM, hence another entry. Bounded; oldest out first.
 */
const parsedKeys = new Map<string, KeyObject>();
const MAX_PARSED_KEYS = 20_000;

function publicKeyOf(publicKeyPem: string): KeyObject {
  let key = parsedKeys.get(publicKeyPem);
  if (key === undefined) {
    key = createPublicKey(publicKeyPem);
    if (parsedKeys.size >= MAX_PARSED_KEYS) {
      const oldest = parsedKeys.keys().next().value;
      if (oldest !== undefined) parsedKeys.delete(oldest);
    }
    parsedKeys.set(publicKeyPem, key);
  }
  return key;
}

/** API.md "Cryptography": base64url Ed25519 signature over the UTF-8 bytes of the nonce. */
export function verifyEd25519(publicKeyPem: string, nonce: string, signatureB64url: string): boolean {
  try {
    if (!/^[A-Za-z0-9_-]+={0,2}$/.test(signatureB64url)) return false;
    const key = publicKeyOf(publicKeyPem);
    if (key.asymmetricKeyType !== 'ed25519') return false;
    return verify(null, Buffer.from(nonce, 'utf8'), key, Buffer.from(signatureB64url, 'base64url'));
  } catch {
    return false;
  }
}
