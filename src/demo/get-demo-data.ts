import type { Static } from 'typebox';
import type { Deps } from '../platform/deps.js';
import { maskId } from '../rules/ids.js';
import { demoIds, demoSeedLoaded } from './demo.repo.js';
import type { DemoDataView } from './demo.schemas.js';
import { buildDemoDataset, EXPECTED_PHONE_CHECK } from './demo-dataset.js';

export type DemoData = Static<typeof DemoDataView>;

const EMPTY: DemoData = {
  loaded: false,
  seed: null,
  rounds: [],
  people: [],
  pharmacies: [],
  stores: [],
  airportCounters: [],
};

/**
 * What the demo user (and a tester) needs to play every role: the demo people with their
 * full IDs, card numbers and card private keys, and the partner keys of the demo pharmacies,
 * stores and airport counters. Rebuilt from the seed recorded when the data was loaded; the
 * database holds only hashes and public keys. Served only with SIMULATORS=on.
 */
export async function getDemoData(deps: Deps): Promise<DemoData> {
  const seed = await demoSeedLoaded(deps.sql);
  if (seed === null) return EMPTY;
  const data = buildDemoDataset(seed);
  const ids = await demoIds(
    deps.sql,
    data.rounds.map((r) => r.name),
    data.stores,
    data.counters.map((c) => c.name),
  );
  return {
    loaded: true,
    seed,
    rounds: ids.rounds,
    people: data.people.map((p) => ({
      key: p.key,
      name: p.name,
      nationalId: p.nationalId,
      nationalIdMasked: maskId(p.nationalId),
      idFormat: p.idFormat,
      nationality: p.nationality,
      sex: p.sex,
      birthDate: p.birthDate,
      lastDigitParity: Number(p.nationalId.at(-1)) % 2 === 1 ? 'odd' : 'even',
      cardNo: p.cardNo,
      cardLast4: p.cardNo.slice(-4),
      privateKeyPem: p.card.privateKeyPem,
      publicKeyPem: p.card.publicKeyPem,
      email: p.email,
      phone: p.phone,
      carrier: p.subscriber?.carrier ?? null,
      plan: p.subscriber?.plan ?? null,
      telecomCase: p.telecomCase,
      expectedPhoneCheck: p.telecomCase ? EXPECTED_PHONE_CHECK[p.telecomCase] : null,
      note: p.note,
    })),
    pharmacies: data.pharmacies.map((p) => ({
      code: p.code,
      name: p.name,
      address: p.address,
      city: p.city,
      district: p.district,
      apiKey: p.apiKey,
    })),
    stores: data.stores.flatMap((s) => {
      const row = ids.stores.get(`${s.chain}:${s.storeNo}`);
      if (!row) return [];
      const { apiKey, chain, storeNo, name, address, city, district } = s;
      return [{ id: row.id, chain, storeNo, name, address, city, district, open: row.open, apiKey }];
    }),
    airportCounters: data.counters.flatMap((c) => {
      const id = ids.counters.get(c.name);
      return id === undefined ? [] : [{ id, name: c.name, apiKey: c.apiKey }];
    }),
  };
}
