import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pooledRandomBytes } from './random.js';

describe('pooledRandomBytes', () => {
  it('gives the length asked for, across pool refills and beyond the pool size', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9000 }), { maxLength: 40 }), (sizes) => {
        for (const n of sizes) expect(pooledRandomBytes(n)).toHaveLength(n);
      }),
    );
  });

  it('never hands out the same bytes twice, and its copies do not change when the pool refills', () => {
    const seen = new Set<string>();
    const first = pooledRandomBytes(16);
    const copy = Buffer.from(first);
    for (let i = 0; i < 5_000; i++) {
      const hex = pooledRandomBytes(16).toString('hex');
      expect(seen.has(hex)).toBe(false);
      seen.add(hex);
    }
    // 80,000 bytes drawn: the 4 KiB pool was refilled about 20 times under `first`.
    expect(first.equals(copy)).toBe(true);
    expect(seen.has(first.toString('hex'))).toBe(false);
  });

  it('is not constant: each bit position varies over many draws', () => {
    let and = 0xff;
    let or = 0;
    for (let i = 0; i < 1_000; i++) {
      const [b] = pooledRandomBytes(1);
      and &= b as number;
      or |= b as number;
    }
    expect(and).toBe(0);
    expect(or).toBe(0xff);
  });
});
