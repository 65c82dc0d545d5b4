import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../../test/support/app.js';
import { isAppError } from './errors.js';
import { assertUnderLimits, bucket, recordHit } from './rate-limit.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('rate limits', () => {
  it('refuses once the limit is reached, with Retry-After counted from the oldest hit, and forgets after the window', async () => {
    const limit = { bucket: bucket('test', 'A123456789'), max: 3, windowMs: 60_000 };
    expect(limit.bucket).not.toContain('A123456789');
    const t0 = new Date('2020-03-12T01:00:00Z');
    for (let i = 0; i < 3; i++) {
      await assertUnderLimits(t.sql, [limit], new Date(t0.getTime() + i * 1000));
      await recordHit(t.sql, [limit], new Date(t0.getTime() + i * 1000));
    }
    const refused = await assertUnderLimits(t.sql, [limit], new Date(t0.getTime() + 10_000)).catch(
      (e: unknown) => e,
    );
    expect(isAppError(refused) && refused.code).toBe('TOO_MANY_REQUESTS');
    expect(isAppError(refused) && refused.headers['Retry-After']).toBe('50');
    await expect(assertUnderLimits(t.sql, [limit], new Date(t0.getTime() + 60_001))).resolves.toBeUndefined();
  });
});
