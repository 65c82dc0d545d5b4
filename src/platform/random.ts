import { randomFillSync } from 'node:crypto';

const POOL_BYTES = 4096;
const pool = Buffer.allocUnsafe(POOL_BYTES);
let offset = POOL_BYTES;

/**
 * `n` bytes from the operating system's CSPRNG (as `crypto.randomBytes`), drawn from a pool that
 * is refilled 4 KiB at a time: one OpenSSL call per few hundred draws instead of one per draw
 * (a `randomBytes(10)` per challenge was 3.6 % of the API's CPU in the sales bench,
 * bench/RESULTS.md (b)). Each byte is handed out once; the caller gets its own copy.
 */
export function pooledRandomBytes(n: number): Buffer {
  if (n > POOL_BYTES) return randomFillSync(Buffer.allocUnsafe(n));
  if (offset + n > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const out = Buffer.from(pool.subarray(offset, offset + n));
  offset += n;
  return out;
}
