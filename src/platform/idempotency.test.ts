import { beforeAll, describe, expect, it } from 'vitest';
import { setUpTestApp } from '../../test/support/fixture.js';
import { AppError } from './errors.js';
import { fingerprintOf, idempotencyKeyOf, refusalsAsOutcome, withIdempotency } from './idempotency.js';

const t = setUpTestApp();

beforeAll(async () => {
  await t.sql`create table effects (id serial primary key, tag text not null)`;
});

const count = async (tag: string) =>
  (await t.sql<{ n: number }[]>`select count(*)::int as n from effects where tag = ${tag}`)[0]?.n;

describe('withIdempotency', () => {
  it('acts once per (scope, key) and replays the first outcome', async () => {
    const act = async (tx: Parameters<Parameters<typeof withIdempotency>[2]>[0]) => {
      const [row] = await tx<{ id: number }[]>`insert into effects (tag) values ('once') returning id`;
      return { status: 201, body: { id: row?.id } };
    };
    const request = { scope: 'test:a', key: 'k1', fingerprint: fingerprintOf({ a: 1 }) };
    const first = await withIdempotency(t.deps, request, act);
    const second = await withIdempotency(t.deps, request, act);
    expect(first.replayed).toBe(false);
    expect(second).toEqual({ ...first, replayed: true });
    expect(await count('once')).toBe(1);
    // the same key in another scope is another request
    await withIdempotency(t.deps, { ...request, scope: 'test:b' }, act);
    expect(await count('once')).toBe(2);
  });

  it('concurrent duplicates wait for the first and never both act', async () => {
    const request = { scope: 'test:a', key: 'burst', fingerprint: fingerprintOf('x') };
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        withIdempotency(t.deps, request, async (tx) => {
          await tx`insert into effects (tag) values ('burst')`;
          await tx`select pg_sleep(0.05)`;
          return { status: 201, body: { ok: true } };
        }),
      ),
    );
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(await count('burst')).toBe(1);
  });

  it('refuses the same key with another request, and records nothing when the action throws', async () => {
    const request = { scope: 'test:a', key: 'k2', fingerprint: fingerprintOf({ a: 1 }) };
    const failing = withIdempotency(t.deps, request, async (tx) => {
      await tx`insert into effects (tag) values ('thrown')`;
      throw new AppError('OUT_OF_STOCK', 'none left');
    });
    await expect(failing).rejects.toMatchObject({ code: 'OUT_OF_STOCK' });
    expect(await count('thrown')).toBe(0);
    const [rows] = await t.sql<
      { n: number }[]
    >`select count(*)::int as n from idempotency_keys where key = 'k2'`;
    expect(rows?.n).toBe(0);

    await withIdempotency(t.deps, request, async () => ({ status: 200, body: {} }));
    const reused = withIdempotency(
      t.deps,
      { ...request, fingerprint: fingerprintOf({ a: 2 }) },
      async () => ({
        status: 200,
        body: {},
      }),
    );
    await expect(reused).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', status: 409 });
  });

  it('without a key acts every time', async () => {
    for (let i = 0; i < 2; i++) {
      await withIdempotency(t.deps, { scope: 'test:a', key: undefined, fingerprint: '' }, async (tx) => {
        await tx`insert into effects (tag) values ('nokey')`;
        return { status: 201, body: {} };
      });
    }
    expect(await count('nokey')).toBe(2);
  });

  it('refusalsAsOutcome keeps what came before the refusal, undoes what came after, and records the refusal', async () => {
    const request = { scope: 'test:a', key: 'k3', fingerprint: 'f' };
    const outcome = await withIdempotency(t.deps, request, async (tx) => {
      await tx`insert into effects (tag) values ('before')`;
      return refusalsAsOutcome(tx, async (sp) => {
        await sp`insert into effects (tag) values ('after')`;
        throw new AppError('NOT_YET_ELIGIBLE', 'wait', { nextEligibleOn: '2020-03-22' });
      });
    });
    expect(outcome).toMatchObject({
      status: 409,
      body: { error: { code: 'NOT_YET_ELIGIBLE', nextEligibleOn: '2020-03-22' } },
    });
    expect(await count('before')).toBe(1);
    expect(await count('after')).toBe(0);
    const replay = await withIdempotency(t.deps, request, async () => ({ status: 201, body: {} }));
    expect(replay).toEqual({ ...outcome, replayed: true });
  });
});

describe('helpers', () => {
  it('fingerprints ignore key order and undefined members', () => {
    expect(fingerprintOf({ a: 1, b: [1, { c: 2, d: 3 }] })).toBe(
      fingerprintOf({ b: [1, { d: 3, c: 2 }], a: 1 }),
    );
    expect(fingerprintOf({ a: 1, x: undefined })).toBe(fingerprintOf({ a: 1 }));
    expect(fingerprintOf({ a: 1 })).not.toBe(fingerprintOf({ a: '1' }));
  });

  it('validates the header', () => {
    expect(idempotencyKeyOf(undefined)).toBeUndefined();
    expect(idempotencyKeyOf('abc-123')).toBe('abc-123');
    expect(() => idempotencyKeyOf('')).toThrow(AppError);
    expect(() => idempotencyKeyOf('has space')).toThrow(AppError);
    expect(() => idempotencyKeyOf('x'.repeat(201))).toThrow(AppError);
  });
});
