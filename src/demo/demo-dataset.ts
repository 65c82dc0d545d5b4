// Over 300 lines: the documented demo data set (docs/DEMO.md) as one table of people, partners and rounds.
import { withCheckDigit } from '../rules/ids.js';
import { derivedCardKey, derivedPartnerKey, type KeyPairPem, Rng } from './derive.js';
import { allocateByPopulation, COUNTIES, landlineIn, placeIn, shortDistrict } from './geography.js';

/**
 * The demo data set as pure data, built from a seed (no I/O): the same seed always gives the
 * same people, cards, keys, pharmacies and stores. `loadDemoData` writes it; the simulator
 * endpoint `GET /api/v1/sim/demo-data` shows it (with the keys) to the demo user.
 */

export type Carrier = 'CHT' | 'FET' | 'TWM' | 'TSTAR' | 'APTG' | 'MVNO' | 'OTHER';
export type Plan = 'monthly' | 'prepaid' | 'parent_child' | 'corporate';
export type SubscriberStatus = 'active' | 'suspended' | 'arrears';

/** The phone situations of seeds [ID 5.2] (+ no mobile data), and the one that passes. */
export type TelecomCase =
  | 'own_monthly'
  | 'parent_child'
  | 'prepaid'
  | 'foreign_holder'
  | 'corporate'
  | 'mvno'
  | 'suspended'
  | 'arrears'
  | 'not_owner'
  | 'carrier_other'
  | 'no_mobile_data';

/** What `POST /api/v1/auth/phone` should answer for each case (API.md). */
export const EXPECTED_PHONE_CHECK: Record<TelecomCase, string> = {
  own_monthly: 'ok',
  parent_child: 'PHONE_PARENT_CHILD_PLAN',
  prepaid: 'PHONE_PREPAID',
  foreign_holder: 'PHONE_FOREIGN_HOLDER',
  corporate: 'PHONE_CORPORATE',
  mvno: 'PHONE_MVNO',
  suspended: 'PHONE_SUSPENDED',
  arrears: 'PHONE_SUSPENDED',
  not_owner: 'PHONE_NOT_OWNER',
  carrier_other: 'PHONE_CARRIER_NOT_SUPPORTED',
  no_mobile_data: 'PHONE_NO_MOBILE_DATA',
};

export const MAJOR_CARRIERS = ['CHT', 'FET', 'TWM', 'TSTAR', 'APTG'] as const;

export interface DemoSubscriber {
  phone: string;
  carrier: Carrier;
  plan: Plan;
  ownerId: string;
  status: SubscriberStatus;
  mobileData: boolean;
}

export type IdFormat = 'national' | 'arc_old' | 'arc_new';

export interface DemoPerson {
  /** Stable handle in the demo: p01 … */
  key: string;
  name: string;
  nationalId: string;
  idFormat: IdFormat;
  nationality: 'TW' | 'foreign';
  sex: 'M' | 'F';
  birthDate: string;
  cardNo: string;
  email: string;
  phone: string | null;
  telecomCase: TelecomCase | null;
  subscriber: DemoSubscriber | null;
  /** One line a demo user reads to pick a person for a scenario. */
  note: string;
  card: KeyPairPem;
}

export interface DemoPharmacy {
  code: string;
  name: string;
  address: string;
  phone: string;
  city: string;
  district: string;
  lat: number;
  lng: number;
  /** Stock in masks (adult packs of 3, child packs of 5). */
  adult: number;
  child: number;
  apiKey: string;
}

export type Chain = '7-11' | 'FamilyMart' | 'Hi-Life' | 'OK';
export const CHAINS: readonly Chain[] = ['7-11', 'FamilyMart', 'Hi-Life', 'OK'];

export interface DemoStore {
  chain: Chain;
  storeNo: string;
  name: string;
  address: string;
  city: string;
  district: string;
  lat: number;
  lng: number;
  apiKey: string;
}

export interface DemoCounter {
  name: string;
  apiKey: string;
}

export interface DemoRound {
  name: string;
  registrationOpensAt: Date;
  registrationClosesAt: Date;
  paymentOpensAt: Date;
  paymentClosesAt: Date;
  pickupStartsOn: string;
  pickupEndsOn: string;
  supplyPacks: number;
}

export interface DemoDataset {
  seed: string;
  rounds: DemoRound[];
  people: DemoPerson[];
  pharmacies: DemoPharmacy[];
  stores: DemoStore[];
  counters: DemoCounter[];
}

/**
 * Rounds 1 and 2 of the seeds (SPEC §5, [ORD 24, 26], [v1 Q6, Q8]). The seeds give round 1's
 * payment only a start (3/19); we close it 3/25 20:00, the day before pickup, as the table of
 * [ORD 21.5] counts 3/19–3/25 as payment days. Round 2's supply is not in the seeds: we reuse
 * round 1's 2,330,000 packs (≈ 7 million masks).
 */
export const DEMO_ROUNDS: readonly DemoRound[] = [
  {
    name: '第1期網路預購',
    registrationOpensAt: new Date('2020-03-12T09:00:00+08:00'),
    registrationClosesAt: new Date('2020-03-18T20:00:00+08:00'),
    paymentOpensAt: new Date('2020-03-19T09:00:00+08:00'),
    paymentClosesAt: new Date('2020-03-25T20:00:00+08:00'),
    pickupStartsOn: '2020-03-26',
    pickupEndsOn: '2020-04-01',
    supplyPacks: 2_330_000,
  },
  {
    name: '第2期網路預購',
    registrationOpensAt: new Date('2020-03-25T08:00:00+08:00'),
    registrationClosesAt: new Date('2020-03-27T20:00:00+08:00'),
    paymentOpensAt: new Date('2020-03-28T08:00:00+08:00'),
    paymentClosesAt: new Date('2020-03-30T20:00:00+08:00'),
    pickupStartsOn: '2020-04-02',
    pickupEndsOn: '2020-04-08',
    supplyPacks: 2_330_000,
  },
];

export const AIRPORT_COUNTERS = ['桃園機場第一航廈', '桃園機場第二航廈'] as const;

const LETTERS = 'ABCDEFGHJKLMNPQRSTUVXYWZIO';
export const SURNAMES = [
  '陳',
  '林',
  '黃',
  '張',
  '李',
  '王',
  '吳',
  '劉',
  '蔡',
  '楊',
  '許',
  '鄭',
  '謝',
  '洪',
  '郭',
  '邱',
  '曾',
  '廖',
  '賴',
  '徐',
];
export const GIVEN_M = [
  '志明',
  '俊傑',
  '建宏',
  '冠宇',
  '承恩',
  '柏翰',
  '宗翰',
  '家豪',
  '俊宏',
  '文雄',
  '國華',
  '明輝',
  '子軒',
  '宇翔',
];
export const GIVEN_F = [
  '淑芬',
  '雅婷',
  '怡君',
  '佩珊',
  '美玲',
  '欣怡',
  '子涵',
  '家瑜',
  '詩涵',
  '淑惠',
  '秀英',
  '玉珍',
  '品妍',
  '語彤',
];
const FOREIGN_NAMES: readonly { name: string; sex: 'M' | 'F' }[] = [
  { name: 'NGUYEN THI LAN', sex: 'F' },
  { name: 'SITI AMINAH', sex: 'F' },
  { name: 'JOHN MILLER', sex: 'M' },
  { name: 'MARIA SANTOS', sex: 'F' },
  { name: 'TANAKA HIROSHI', sex: 'M' },
  { name: 'SOMCHAI SRISUK', sex: 'M' },
];

type Kind = 'adult' | 'elder' | 'child' | 'foreign_old' | 'foreign_new';

interface PersonSpec {
  kind: Kind;
  telecomCase?: TelecomCase;
  carrier?: Carrier;
  birthDate?: string;
  note: string;
}

/** Who is in the demo, in the order shown to the demo user. */
function personSpecs(): PersonSpec[] {
  const specs: PersonSpec[] = [];
  for (const carrier of MAJOR_CARRIERS) {
    for (let i = 0; i < 3; i++) {
      specs.push({
        kind: 'adult',
        telecomCase: 'own_monthly',
        carrier,
        note: `own-name monthly plan with data on ${carrier}: passes the phone check`,
      });
    }
  }
  const refusals: [TelecomCase, Kind, Carrier, string][] = [
    ['parent_child', 'child', 'CHT', 'parent-child plan (親子卡): refused'],
    ['prepaid', 'adult', 'TWM', 'prepaid card (預付卡): refused'],
    ['foreign_holder', 'foreign_new', 'CHT', 'number held by a foreigner (2021 ARC): refused'],
    ['corporate', 'adult', 'FET', 'company number (企業門號): refused'],
    ['mvno', 'adult', 'MVNO', 'MVNO number (二類電信): refused'],
    ['suspended', 'adult', 'APTG', 'suspended number (停話): refused'],
    ['arrears', 'adult', 'TSTAR', 'number in arrears (欠費): refused'],
    ['not_owner', 'adult', 'CHT', "number in someone else's name (非本人): refused"],
    ['carrier_other', 'adult', 'OTHER', 'carrier not one of the five majors: refused'],
    ['no_mobile_data', 'adult', 'FET', 'monthly plan without mobile data: refused'],
    ['foreign_holder', 'foreign_old', 'FET', 'number held by a foreigner (old-format ARC): refused'],
  ];
  for (const [telecomCase, kind, carrier, note] of refusals) {
    specs.push({
      kind,
      telecomCase,
      carrier,
      note,
      ...(kind === 'child' ? { birthDate: '2007-05-20' } : {}),
    });
  }
  specs.push(
    {
      kind: 'child',
      birthDate: '2003-03-20',
      note: 'turns 17 on 2020-03-20: may buy child masks at a pharmacy until 03-19 only',
    },
    { kind: 'child', birthDate: '2003-09-01', note: 'child aged 16 all through the demo' },
    { kind: 'child', birthDate: '2008-11-11', note: 'child aged 11' },
    { kind: 'child', birthDate: '2012-02-29', note: 'child aged 8, born on 29 February' },
    { kind: 'child', birthDate: '2015-07-07', note: 'child aged 4' },
    { kind: 'child', birthDate: '2019-06-15', note: 'infant' },
    { kind: 'foreign_old', note: 'foreign resident, old-format ARC, no phone: NHI card or device code' },
    { kind: 'foreign_old', note: 'foreign resident, old-format ARC, no phone: NHI card or device code' },
    { kind: 'foreign_new', note: 'foreign resident, 2021-format ARC, no phone: NHI card or device code' },
    { kind: 'foreign_new', note: 'foreign resident, 2021-format ARC, no phone: NHI card or device code' },
  );
  while (specs.length < 60) {
    const elder = specs.length % 3 === 0;
    specs.push({
      kind: elder ? 'elder' : 'adult',
      note: elder ? 'older person, NHI card only (no phone)' : 'adult, NHI card only (no phone)',
    });
  }
  return specs;
}

function idWithParity(stem: () => string, odd: boolean, taken: Set<string>): string {
  for (;;) {
    const id = withCheckDigit(stem());
    if (Number(id.at(-1)) % 2 === (odd ? 1 : 0) && !taken.has(id)) {
      taken.add(id);
      return id;
    }
  }
}

function birthDateFor(kind: Kind, rng: Rng): string {
  const year = kind === 'elder' ? rng.int(1935, 1955) : rng.int(1958, 2001);
  return `${year}-${String(rng.int(1, 12)).padStart(2, '0')}-${String(rng.int(1, 28)).padStart(2, '0')}`;
}

function buildPeople(seed: string): DemoPerson[] {
  const rng = new Rng(seed, 'people');
  const ids = new Set<string>();
  const phones = new Set<string>();
  let foreignIndex = 0;
  const people: DemoPerson[] = personSpecs().map((spec, index) => {
    const n = index + 1;
    const foreign = spec.kind === 'foreign_old' || spec.kind === 'foreign_new';
    const foreignName = foreign ? FOREIGN_NAMES[foreignIndex++ % FOREIGN_NAMES.length] : undefined;
    const sex: 'M' | 'F' = foreignName?.sex ?? (index % 2 === 0 ? 'M' : 'F');
    const odd = Math.floor(index / 2) % 2 === 0;
    // Serial numbers from 5,000,000 up: the national generator uses the ones below, so the
    // demo and a benchmark load can share one database.
    const serial = () => `${rng.int(5, 9)}${rng.digits(6)}`;
    let nationalId: string;
    let idFormat: IdFormat;
    if (spec.kind === 'foreign_old') {
      const sexLetter = sex === 'M' ? rng.pick(['A', 'C']) : rng.pick(['B', 'D']);
      nationalId = idWithParity(() => `${rng.pick([...LETTERS])}${sexLetter}${serial()}`, odd, ids);
      idFormat = 'arc_old';
    } else if (spec.kind === 'foreign_new') {
      const sexDigit = sex === 'M' ? '8' : '9';
      nationalId = idWithParity(() => `${rng.pick([...LETTERS])}${sexDigit}${serial()}`, odd, ids);
      idFormat = 'arc_new';
    } else {
      const sexDigit = sex === 'M' ? '1' : '2';
      nationalId = idWithParity(() => `${rng.pick([...LETTERS])}${sexDigit}${serial()}`, odd, ids);
      idFormat = 'national';
    }
    const name = foreignName?.name ?? `${rng.pick(SURNAMES)}${rng.pick(sex === 'M' ? GIVEN_M : GIVEN_F)}`;
    const cardNo = `0000900${String(n).padStart(5, '0')}`;
    let phone: string | null = null;
    let subscriber: DemoSubscriber | null = null;
    if (spec.telecomCase && spec.carrier) {
      do phone = `09${rng.int(10, 89)}${rng.digits(6)}`;
      while (phones.has(phone));
      phones.add(phone);
      const c = spec.telecomCase;
      subscriber = {
        phone,
        carrier: spec.carrier,
        plan:
          c === 'prepaid'
            ? 'prepaid'
            : c === 'parent_child'
              ? 'parent_child'
              : c === 'corporate'
                ? 'corporate'
                : 'monthly',
        ownerId: nationalId,
        status: c === 'suspended' ? 'suspended' : c === 'arrears' ? 'arrears' : 'active',
        mobileData: c !== 'no_mobile_data',
      };
    }
    return {
      key: `p${String(n).padStart(2, '0')}`,
      name,
      nationalId,
      idFormat,
      nationality: foreign ? 'foreign' : 'TW',
      sex,
      birthDate: spec.birthDate ?? birthDateFor(spec.kind, rng),
      cardNo,
      email: `demo${String(n).padStart(2, '0')}@example.com`,
      phone,
      telecomCase: spec.telecomCase ?? null,
      subscriber,
      note: spec.note,
      card: derivedCardKey(seed, cardNo),
    };
  });
  // The not-own-name number belongs to the last adult of the demo (a relative who holds the contract).
  const holder = [...people].reverse().find((p) => p.telecomCase === null && p.nationality === 'TW');
  const notOwner = people.find((p) => p.telecomCase === 'not_owner');
  if (holder && notOwner?.subscriber) {
    notOwner.subscriber.ownerId = holder.nationalId;
    notOwner.note = `${notOwner.note}; the contract is in the name of ${holder.key}`;
  }
  return people;
}

export const PHARMACY_NAMES = [
  '仁愛',
  '長安',
  '大眾',
  '康寧',
  '杏林',
  '博愛',
  '福安',
  '永康',
  '健安',
  '華陽',
  '信義',
  '德昌',
  '和平',
  '百齡',
  '安心',
  '順天',
  '宏恩',
  '天成',
  '佳美',
  '明德',
];
const PHARMACY_CHAINS = ['大樹藥局', '躍獅連鎖藥局', '丁丁藥局', '啄木鳥藥局', '佑全藥局'];
export const STORE_WORDS = [
  '站前',
  '中正',
  '中山',
  '民生',
  '復興',
  '光華',
  '建國',
  '興隆',
  '福德',
  '文化',
  '公園',
  '學府',
  '新生',
  '和平',
  '永安',
  '大同',
  '仁愛',
  '松竹',
  '長春',
  '明德',
  '富貴',
  '吉祥',
  '鑫',
  '東興',
  '北辰',
];

function buildPharmacies(seed: string, total: number): DemoPharmacy[] {
  const rng = new Rng(seed, 'pharmacies');
  const counts = allocateByPopulation(total, 2);
  const codes = new Set<string>();
  const pharmacies: DemoPharmacy[] = [];
  COUNTIES.forEach((county, c) => {
    for (let i = 0; i < (counts[c] ?? 0); i++) {
      let code: string;
      do code = `59${String(c + 1).padStart(2, '0')}${rng.digits(6)}`;
      while (codes.has(code));
      codes.add(code);
      const place = placeIn(county, rng);
      const name =
        rng.next() < 0.2
          ? `${rng.pick(PHARMACY_CHAINS)}${shortDistrict(place.district)}${place.street.slice(0, 2)}店`
          : `${rng.pick(PHARMACY_NAMES)}${rng.next() < 0.3 ? '健保' : ''}藥局`;
      const stockRoll = rng.next();
      const adult = stockRoll < 0.08 ? 0 : stockRoll < 0.2 ? rng.int(1, 20) * 3 : rng.int(50, 200) * 3;
      const child = rng.next() < 0.1 ? 0 : rng.int(5, 50) * 5;
      pharmacies.push({
        code,
        name,
        address: place.address,
        phone: landlineIn(county, rng),
        city: place.city,
        district: place.district,
        lat: place.lat,
        lng: place.lng,
        adult,
        child,
        apiKey: derivedPartnerKey(seed, 'pharmacy', code),
      });
    }
  });
  return pharmacies;
}

/** Rough market shares of the four chains (7-11, FamilyMart, Hi-Life, OK). */
export const CHAIN_SHARE = [0.5, 0.3, 0.12, 0.08];

export function storeName(chain: Chain, label: string): string {
  switch (chain) {
    case '7-11':
      return `7-ELEVEN ${label}門市`;
    case 'FamilyMart':
      return `全家${label}店`;
    case 'Hi-Life':
      return `萊爾富${label}店`;
    case 'OK':
      return `OK超商${label}店`;
  }
}

/** Store numbers as the chains print them: 6 digits for 7-11 and FamilyMart, 4 for Hi-Life and OK. */
function storeNoFor(chain: Chain, rng: Rng): string {
  if (chain === '7-11') return `${rng.int(1, 9)}${rng.digits(5)}`;
  if (chain === 'FamilyMart') return `0${rng.digits(5)}`;
  return `${rng.int(1, 9)}${rng.digits(3)}`;
}

function buildStores(seed: string, total: number): DemoStore[] {
  const rng = new Rng(seed, 'stores');
  const counts = allocateByPopulation(total, CHAINS.length);
  const numbers = new Map<Chain, Set<string>>(CHAINS.map((c) => [c, new Set()]));
  const names = new Set<string>();
  const stores: DemoStore[] = [];
  COUNTIES.forEach((county, c) => {
    for (let i = 0; i < (counts[c] ?? 0); i++) {
      // Every chain in every county first, then the chains' market shares.
      const chain = (i < CHAINS.length ? CHAINS[i] : CHAINS[rng.weighted(CHAIN_SHARE)]) as Chain;
      const taken = numbers.get(chain) as Set<string>;
      let storeNo: string;
      do storeNo = storeNoFor(chain, rng);
      while (taken.has(storeNo));
      taken.add(storeNo);
      const place = placeIn(county, rng);
      let name = storeName(chain, `${shortDistrict(place.district)}${rng.pick(STORE_WORDS)}`);
      for (let extra = 2; names.has(name); extra++) {
        name = storeName(
          chain,
          `${shortDistrict(place.district)}${rng.pick(STORE_WORDS)}${extra === 2 ? '二' : extra}`,
        );
      }
      names.add(name);
      stores.push({
        chain,
        storeNo,
        name,
        address: place.address,
        city: place.city,
        district: place.district,
        lat: place.lat,
        lng: place.lng,
        apiKey: derivedPartnerKey(seed, 'store', `${chain}:${storeNo}`),
      });
    }
  });
  return stores;
}

export const DEMO_SIZE = { pharmacies: 200, stores: 400 } as const;

const cache = new Map<string, DemoDataset>();

/** The demo data set for a seed (memoised: building it derives ~60 key pairs). */
export function buildDemoDataset(seed: string): DemoDataset {
  const cached = cache.get(seed);
  if (cached) return cached;
  const dataset = createDemoDataset(seed);
  cache.set(seed, dataset);
  return dataset;
}

/** Builds the data set afresh (no memo). */
export function createDemoDataset(seed: string): DemoDataset {
  return {
    seed,
    rounds: DEMO_ROUNDS.map((r) => ({ ...r })),
    people: buildPeople(seed),
    pharmacies: buildPharmacies(seed, DEMO_SIZE.pharmacies),
    stores: buildStores(seed, DEMO_SIZE.stores),
    counters: AIRPORT_COUNTERS.map((name) => ({ name, apiKey: derivedPartnerKey(seed, 'airport', name) })),
  };
}
