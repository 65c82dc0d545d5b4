import { generateKeyPairSync, type KeyObject, sign, verify } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { vaultFor } from '../platform/vault.js';
import {
  CHALLENGE_TTL_MS,
  createChallenge,
  ed25519Verifier,
  issuedChallenge,
  uuidV7,
  verifyEd25519,
} from './challenges.js';

const pem = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }).toString();
const pairs = Array.from({ length: 4 }, () => generateKeyPairSync('ed25519'));

describe('verifyEd25519', () => {
  it('runs on libsodium where its prebuilt addon exists (Linux x64/arm64)', () => {
    if (process.platform === 'linux' && ['x64', 'arm64'].includes(process.arch)) {
      expect(ed25519Verifier).toBe('libsodium');
    }
  });

  it('agrees with OpenSSL on genuine, tampered and foreign signatures', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 64 }),
        fc.nat({ max: 3 }),
        fc.nat({ max: 3 }),
        fc.nat({ max: 63 }),
        (nonce, signer, holder, flip) => {
          const message = Buffer.from(nonce, 'utf8');
          const signature = sign(null, message, (pairs[signer] as { privateKey: KeyObject }).privateKey);
          const publicKey = (pairs[holder] as { publicKey: KeyObject }).publicKey;
          const tampered = Buffer.from(signature);
          tampered[flip] = (tampered[flip] as number) ^ 0x01;
          for (const s of [signature, tampered]) {
            expect(verifyEd25519(pem(publicKey), nonce, s.toString('base64url'))).toBe(
              verify(null, message, publicKey, s),
            );
          }
          expect(verifyEd25519(pem(publicKey), nonce, signature.toString('base64url'))).toBe(
            signer === holder,
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses what is no Ed25519 signature by an Ed25519 key', () => {
    const { publicKey, privateKey } = pairs[0] as { publicKey: KeyObject; privateKey: KeyObject };
    const good = sign(null, Buffer.from('nonce'), privateKey);
    expect(verifyEd25519(pem(publicKey), 'nonce', good.toString('base64url'))).toBe(true);
    expect(verifyEd25519(pem(publicKey), 'nonce', good.subarray(0, 63).toString('base64url'))).toBe(false);
    expect(
      verifyEd25519(pem(publicKey), 'nonce', Buffer.concat([good, Buffer.from([0])]).toString('base64url')),
    ).toBe(false);
    expect(verifyEd25519(pem(publicKey), 'nonce', '')).toBe(false);
    expect(verifyEd25519(pem(publicKey), 'nonce', 'not base64url!')).toBe(false);
    expect(verifyEd25519('not a key', 'nonce', good.toString('base64url'))).toBe(false);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ecSignature = sign('sha256', Buffer.from('nonce'), ec.privateKey);
    expect(verifyEd25519(pem(ec.publicKey), 'nonce', ecSignature.toString('base64url'))).toBe(false);
  });
});

const key = (n: number) => Buffer.alloc(32, n).toString('base64');
const vault = vaultFor({ dataEncryptionKeys: `k1:${key(1)}`, blindIndexKey: key(2) });
// 1970 … 2100: the platform clock, real or set by hand.
const instants = fc.integer({ min: 0, max: 4_102_444_800_000 }).map((ms) => new Date(ms));

describe('stateless challenges', () => {
  it('are UUIDv7 ids carrying their issue instant, valid for 5 minutes from it, not before', () => {
    fc.assert(
      fc.property(instants, fc.integer({ min: 0, max: CHALLENGE_TTL_MS - 1 }), (now, age) => {
        const c = createChallenge(vault, now);
        expect(c.challengeId).toMatch(
          /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
        );
        expect(c.expiresAt.getTime() - now.getTime()).toBe(CHALLENGE_TTL_MS);
        const later = new Date(now.getTime() + age);
        expect(issuedChallenge(vault, c.challengeId, later)).toEqual({
          challengeId: c.challengeId,
          nonce: c.nonce,
          createdAt: now,
          expiresAt: c.expiresAt,
        });
        expect(issuedChallenge(vault, c.challengeId.toUpperCase(), later)?.nonce).toBe(c.nonce);
        expect(issuedChallenge(vault, c.challengeId, c.expiresAt)).toBeNull();
        expect(issuedChallenge(vault, c.challengeId, new Date(now.getTime() - 1))).toBeNull();
      }),
    );
  });

  it('have a nonce only the key holder can tell: another id or another key gives another nonce', () => {
    const other = vaultFor({ dataEncryptionKeys: `k1:${key(1)}`, blindIndexKey: key(3) });
    fc.assert(
      fc.property(
        instants,
        fc.uint8Array({ minLength: 10, maxLength: 10 }),
        fc.nat({ max: 9 }),
        (now, random, at) => {
          const id = uuidV7(now, Buffer.from(random));
          const altered = Buffer.from(random);
          altered[at] = (altered[at] as number) ^ 0x01;
          const nonce = issuedChallenge(vault, id, now)?.nonce;
          expect(nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
          expect(issuedChallenge(other, id, now)?.nonce).not.toBe(nonce);
          const sibling = uuidV7(now, altered);
          // The version and variant bits are fixed: flipping one of them leaves the same id.
          if (sibling !== id) expect(issuedChallenge(vault, sibling, now)?.nonce).not.toBe(nonce);
        },
      ),
    );
  });

  it('refuses ids the platform cannot have issued', () => {
    const now = new Date('2020-03-15T10:00:00+08:00');
    for (const id of ['', 'not-a-uuid', '00000000-0000-4000-8000-000000000001', crypto.randomUUID()]) {
      expect(issuedChallenge(vault, id, now)).toBeNull();
    }
  });
});
