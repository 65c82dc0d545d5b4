import { createHash, createHmac, createPrivateKey, createPublicKey } from 'node:crypto';
import type { PartnerKind } from '../platform/auth.js';

/**
 * Everything secret in the demo data set is derived from one seed, so that a demo user (and a
 * tester) can be told the keys while the platform still stores only what it always stores:
 * SHA-256 of partner keys, public halves of card keys.
 */

/** The seed `npm start` uses unless DEMO_SEED says otherwise. */
export const DEFAULT_DEMO_SEED = 'mask-rationing-2.0-demo';

export function hmac(seed: string, label: string): Buffer {
  return createHmac('sha256', seed).update(label).digest();
}

/** A partner API key shaped like the ones `issuePartnerKey` hands out, but reproducible from the seed. */
export function derivedPartnerKey(seed: string, kind: PartnerKind, label: string): string {
  return `pk_${kind}_${hmac(seed, `${kind}:${label}`).toString('base64url')}`;
}

/** DER prefix of a PKCS#8 Ed25519 private key; the 32-byte raw key follows (RFC 8410). */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface KeyPairPem {
  privateKeyPem: string;
  publicKeyPem: string;
}

/** An Ed25519 key pair from a 32-byte seed: private key as PKCS#8 PEM, public key as SPKI PEM (API.md). */
export function ed25519FromSeed(raw: Buffer): KeyPairPem {
  if (raw.length !== 32) throw new Error('an Ed25519 seed is 32 bytes');
  const privateKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, raw]),
    format: 'der',
    type: 'pkcs8',
  });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: createPublicKey(privateKey).export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** The card key "written on" demo card `cardNo`. */
export function derivedCardKey(seed: string, cardNo: string): KeyPairPem {
  return ed25519FromSeed(hmac(seed, `card:${cardNo}`));
}

/**
 * A small deterministic pseudo-random generator (sfc32) seeded from SHA-256 of the seed and a
 * stream name, so that adding a stream does not shift the values of the others.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: string, stream: string) {
    const h = createHash('sha256').update(`${seed}\u0000${stream}`).digest();
    this.a = h.readUInt32LE(0);
    this.b = h.readUInt32LE(4);
    this.c = h.readUInt32LE(8);
    this.d = h.readUInt32LE(12);
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /** Index chosen with probability proportional to its weight. */
  weighted(weights: readonly number[]): number {
    const total = weights.reduce((s, w) => s + w, 0);
    let x = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      x -= weights[i] ?? 0;
      if (x < 0) return i;
    }
    return weights.length - 1;
  }

  /** Uniform in [-1, 1). */
  signed(): number {
    return this.next() * 2 - 1;
  }

  digits(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String(this.int(0, 9));
    return s;
  }
}
