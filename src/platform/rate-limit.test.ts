import { describe, expect, it } from 'vitest';
import { setUpTestApp } from '../../test/support/fixture.js';
import { AppError, isAppError } from './errors.js';
import { bucket, limitedTry, reserveTry } from './rate-limit.js';

const t = setUpTestApp();

const at = (ms: number) => new Date(Date.UTC(2020, 2, 12, 1) + ms);
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (e: unknown) => e,
  );
const hits = async (b: string) =>
  (
    await t.sql<{ n: number }[]>`
    select coalesce(sum(cardinality(hits)), 0)::int as n from rate_limit_buckets where bucket = ${b}`
  )[0]?.n;

describe('tries reserved before they are evaluated', () => {
  it('refuses once the limit is full, with Retry-After counted from the oldest try, and forgets after the window', async () => {
    const limit = { bucket: bucket('test', 'A123456789'), max: 3, windowMs: 60_000 };
    expect(limit.bucket).not.toContain('A123456789');
    for (let i = 0; i < 3; i++) await (await reserveTry(t.sql, [limit], at(i * 1000))).failed();
    const refused = await refusal(reserveTry(t.sql, [limit], at(10_000)));
    expect(isAppError(refused) && refused.code).toBe('TOO_MANY_REQUESTS');
    expect(isAppError(refused) && refused.headers['Retry-After']).toBe('50');
    await expect(reserveTry(t.sql, [limit], at(60_001))).resolves.toBeDefined();
  });

  it('a try being evaluated holds its place; a success gives it back, a failure keeps it where it counts', async () => {
    const card = { bucket: bucket('test-card', '1'), max: 2, windowMs: 60_000 };
    const address = { bucket: bucket('test-addr', '1'), max: 10, windowMs: 60_000 };
    const first = await reserveTry(t.sql, [card, address], at(0));
    const second = await reserveTry(t.sql, [card, address], at(1));
    // Two tries still being evaluated fill the card's limit of 2.
    expect(isAppError(await refusal(reserveTry(t.sql, [card, address], at(2))))).toBe(true);
    await first.succeeded();
    expect(await hits(card.bucket)).toBe(1);
    await second.failed([address]);
    expect([await hits(card.bucket), await hits(address.bucket)]).toEqual([0, 1]);
    // Settling twice changes nothing.
    await second.failed();
    expect(await hits(card.bucket)).toBe(0);
  });

  it('lets exactly N of hundreds of concurrent tries be evaluated, the right one included or refused, never more', async () => {
    const limit = { bucket: bucket('test-race', 'x'), max: 5, windowMs: 60_000 };
    let evaluated = 0;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 300 }, (_, i) =>
        limitedTry(t.sql, [limit], at(5_000), async () => {
          evaluated += 1;
          return i === 150
            ? { ok: true, value: 'right' }
            : { ok: false, error: new AppError('AUTH_FAILED', 'wrong') };
        }),
      ),
    );
    const refused = outcomes.filter(
      (o) => o.status === 'rejected' && isAppError(o.reason) && o.reason.code === 'TOO_MANY_REQUESTS',
    ).length;
    const right = outcomes.filter((o) => o.status === 'fulfilled').length;
    expect(evaluated).toBeLessThanOrEqual(5 + right);
    expect(evaluated - right).toBe(5);
    expect(refused).toBe(300 - evaluated);
    expect(await hits(limit.bucket)).toBe(5);
  });
});
