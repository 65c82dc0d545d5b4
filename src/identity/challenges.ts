import { createPublicKey, randomBytes, randomUUID, verify } from 'node:crypto';
import type { Db } from '../platform/db.js';
import type { AppError } from '../platform/errors.js';

/** API.md: a challenge lives at most 5 minutes and is single use. */
export const CHALLENGE_TTL_MS = 5 * 60 * 1000;

export interface Challenge {
  challengeId: string;
  nonce: string;
  expiresAt: Date;
}

export async function createChallenge(db: Db, now: Date): Promise<Challenge> {
  const challengeId = randomUUID();
  const nonce = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_MS);
  await db`insert into challenges (id, nonce, created_at, expires_at) values (${challengeId}, ${nonce}, ${now}, ${expiresAt})`;
  return { challengeId, nonce, expiresAt };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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

/** API.md "Cryptography": base64url Ed25519 signature over the UTF-8 bytes of the nonce. */
export function verifyEd25519(publicKeyPem: string, nonce: string, signatureB64url: string): boolean {
  try {
    if (!/^[A-Za-z0-9_-]+={0,2}$/.test(signatureB64url)) return false;
    const key = createPublicKey(publicKeyPem);
    if (key.asymmetricKeyType !== 'ed25519') return false;
    return verify(null, Buffer.from(nonce, 'utf8'), key, Buffer.from(signatureB64url, 'base64url'));
  } catch {
    return false;
  }
}
