import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drawKey, normalizeSeed, parseDrawExport, selectWinners, verifyDrawExport } from './lottery.js';

const ids = fc.uniqueArray(fc.integer({ min: 1, max: 10_000_000 }), { minLength: 0, maxLength: 200 });
const seed = fc.stringMatching(/^[0-9a-f]{2,64}$/);

describe('lottery', () => {
  it('keys an order by sha256(seed bytes || decimal id)', () => {
    const key = drawKey(normalizeSeed('00ff').bytes, 123);
    const expected = createHash('sha256')
      .update(Buffer.concat([Buffer.from([0x00, 0xff]), Buffer.from('123', 'ascii')]))
      .digest();
    expect(key.equals(expected)).toBe(true);
    expect(normalizeSeed('ABC').seed).toBe('abc');
    expect(normalizeSeed('abc').bytes.equals(Buffer.from([0x0a, 0xbc]))).toBe(true);
    expect(() => normalizeSeed('xyz')).toThrow(RangeError);
  });

  it('selects exactly min(orders, supply), deterministically, regardless of input order', () => {
    fc.assert(
      fc.property(ids, seed, fc.integer({ min: 1, max: 250 }), (list, s, supply) => {
        const winners = selectWinners(list, s, supply);
        expect(winners.size).toBe(Math.min(list.length, supply));
        for (const w of winners) expect(list).toContain(w);
        const again = selectWinners([...list].reverse(), s, supply);
        expect([...again].sort()).toEqual([...winners].sort());
      }),
    );
  });

  it('every winner ranks below every loser', () => {
    fc.assert(
      fc.property(ids, seed, fc.integer({ min: 1, max: 100 }), (list, s, supply) => {
        fc.pre(list.length > supply);
        const winners = selectWinners(list, s, supply);
        const { bytes } = normalizeSeed(s);
        const worstWinner = [...winners]
          .map((id) => drawKey(bytes, id))
          .reduce((a, b) => (Buffer.compare(a, b) > 0 ? a : b));
        for (const id of list) {
          if (!winners.has(id)) expect(Buffer.compare(drawKey(bytes, id), worstWinner)).toBeGreaterThan(0);
        }
      }),
    );
  });

  it('verifies a correct export and catches a tampered one', () => {
    const list = Array.from({ length: 50 }, (_, i) => i + 1);
    const winners = selectWinners(list, 'c0ffee', 20);
    const csv = ['order_id,selected', ...list.map((id) => `${id},${winners.has(id)}`)].join('\n');
    expect(verifyDrawExport(csv, 'c0ffee', 20)).toMatchObject({
      matches: true,
      orders: 50,
      selected: 20,
      expectedSelected: 20,
    });
    const loser = list.find((id) => !winners.has(id)) as number;
    const tampered = csv.replace(`\n${loser},false`, `\n${loser},true`);
    const result = verifyDrawExport(tampered, 'c0ffee', 20);
    expect(result.matches).toBe(false);
    expect(result.unexpected).toEqual([loser]);
    expect(verifyDrawExport(csv, 'c0ffef', 20).matches).toBe(false);
    expect(() => parseDrawExport('id,flag\n1,true')).toThrow();
  });
});
