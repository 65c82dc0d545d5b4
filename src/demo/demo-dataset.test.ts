import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { idKind, maskId } from '../rules/ids.js';
import { buildDemoDataset, CHAINS, createDemoDataset } from './demo-dataset.js';
import { DEFAULT_DEMO_SEED, derivedPartnerKey, Rng } from './derive.js';
import { allocateByPopulation, COUNTIES } from './geography.js';

describe('buildDemoDataset', () => {
  it('is a function of the seed', () => {
    expect(createDemoDataset('same-seed')).toEqual(createDemoDataset('same-seed'));
    expect(createDemoDataset('other-seed').people[0]?.card).not.toEqual(
      createDemoDataset('same-seed').people[0]?.card,
    );
    expect(new Rng('s', 'x').next()).toBe(new Rng('s', 'x').next());
    expect(new Rng('s', 'x').next()).not.toBe(new Rng('s', 'y').next());
    expect(derivedPartnerKey('s', 'pharmacy', '5900000001')).toMatch(/^pk_pharmacy_[A-Za-z0-9_-]{43}$/);
  });

  it('has unique, valid IDs, card numbers, phones, pharmacy codes and store numbers', () => {
    for (const seed of ['a', 'b', DEFAULT_DEMO_SEED]) {
      const d = buildDemoDataset(seed);
      expect(new Set(d.people.map((p) => p.nationalId)).size).toBe(d.people.length);
      expect(new Set(d.people.map((p) => p.cardNo)).size).toBe(d.people.length);
      const phones = d.people.flatMap((p) => (p.phone ? [p.phone] : []));
      expect(new Set(phones).size).toBe(phones.length);
      for (const p of d.people) expect(idKind(p.nationalId)).toBe(p.idFormat);
      expect(new Set(d.pharmacies.map((p) => p.code)).size).toBe(200);
      expect(new Set(d.stores.map((s) => `${s.chain}:${s.storeNo}`)).size).toBe(400);
      expect(new Set(d.stores.map((s) => `${s.city}:${s.chain}`)).size).toBe(COUNTIES.length * CHAINS.length);
    }
  });

  it('shares counts out by population with the minimum for each county', () => {
    const counts = allocateByPopulation(400, 4);
    expect(counts.reduce((s, c) => s + c, 0)).toBe(400);
    expect(Math.min(...counts)).toBe(4);
    expect(counts[1]).toBeGreaterThan(counts[0] as number); // 新北市 > 臺北市
  });

  it('matches the people table of docs/DEMO.md (default seed)', () => {
    const doc = readFileSync(new URL('../../docs/DEMO.md', import.meta.url), 'utf8');
    for (const p of buildDemoDataset(DEFAULT_DEMO_SEED).people) {
      expect(doc).toContain(`| ${p.key} | ${p.name} | ${maskId(p.nationalId)} `);
    }
  });
});
