import { useSyncExternalStore } from 'react';
import { api } from './api';

/**
 * Demo mode: with simulators on, `GET /api/v1/sim/demo-data` hands out the demo people (card
 * numbers and card private keys, as a virtual card reader would read them), pharmacies, stores
 * and counters with their keys. Without it the UI asks for these by hand.
 */
export interface DemoCard {
  cardNo: string;
  privateKeyPem: string;
  name: string;
  nationalId: string | null;
  phone: string | null;
  birthDate: string | null;
  note: string | null;
  /** The phone line's case in the simulated telecom (own_monthly, prepaid, …), if any. */
  telecomCase: string | null;
  carrier: string | null;
  nationality: string | null;
}
export interface DemoPharmacy {
  code: string;
  name: string;
  apiKey: string;
}
export interface DemoStore {
  id: number;
  name: string;
  chain: string;
  apiKey: string;
}
export interface DemoCounter {
  id: number;
  name: string;
  apiKey: string;
}
export interface DemoData {
  cards: DemoCard[];
  pharmacies: DemoPharmacy[];
  stores: DemoStore[];
  counters: DemoCounter[];
  adminPassword: string | null;
}

type Loose = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null =>
  typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null;
const list = (data: Loose, ...names: string[]): Loose[] => {
  for (const name of names) {
    const value = data[name];
    if (Array.isArray(value)) return value as Loose[];
  }
  return [];
};

/** Reads the demo data set, tolerant of where exactly each field sits. */
export function normaliseDemoData(raw: unknown): DemoData {
  const data = (raw ?? {}) as Loose;
  const cards: DemoCard[] = [];
  for (const person of list(data, 'people', 'persons', 'citizens', 'cards')) {
    const card = (person.card ?? {}) as Loose;
    const cardNo = str(person.cardNo) ?? str(card.cardNo);
    const privateKeyPem =
      str(person.cardPrivateKeyPem) ?? str(person.privateKeyPem) ?? str(card.privateKeyPem);
    if (!cardNo || !privateKeyPem) continue;
    cards.push({
      cardNo,
      privateKeyPem,
      name: str(person.name) ?? cardNo,
      nationalId: str(person.nationalId) ?? str(person.arcNumber),
      phone: str(person.phone) ?? str((person.phone as Loose | undefined)?.number),
      birthDate: str(person.birthDate),
      note: str(person.note) ?? str(person.description) ?? str(person.scenario) ?? str(person.role),
      telecomCase: str(person.telecomCase),
      carrier: str(person.carrier),
      nationality: str(person.nationality),
    });
  }
  const pharmacies = list(data, 'pharmacies').flatMap((p) => {
    const code = str(p.code);
    const apiKey = str(p.apiKey);
    return code && apiKey ? [{ code, apiKey, name: str(p.name) ?? code }] : [];
  });
  const stores = list(data, 'stores').flatMap((s) => {
    const id = num(s.id);
    const apiKey = str(s.apiKey);
    return id !== null && apiKey
      ? [{ id, apiKey, name: str(s.name) ?? String(id), chain: str(s.chain) ?? '' }]
      : [];
  });
  const counters = list(data, 'counters', 'airportCounters').flatMap((c) => {
    const id = num(c.id);
    const apiKey = str(c.apiKey);
    return id !== null && apiKey ? [{ id, apiKey, name: str(c.name) ?? String(id) }] : [];
  });
  const admin = (data.admin ?? {}) as Loose;
  return {
    cards,
    pharmacies,
    stores,
    counters,
    adminPassword: str(admin.password) ?? str(data.adminPassword),
  };
}

type DemoState = { status: 'loading' } | { status: 'off' } | { status: 'on'; data: DemoData };

let state: DemoState = { status: 'loading' };
let started = false;
const listeners = new Set<() => void>();

function publish(next: DemoState): void {
  state = next;
  for (const listener of listeners) listener();
}

export function loadDemoData(): void {
  started = true;
  api.get<unknown>('/api/v1/sim/demo-data').then(
    (raw) => publish({ status: 'on', data: normaliseDemoData(raw) }),
    () => publish({ status: 'off' }),
  );
}

export function useDemo(): DemoState {
  if (!started) loadDemoData();
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
  );
}

// ---- the simulated clock (CLOCK=manual) ----

type ClockState = { now: string | null; manual: boolean };
let clock: ClockState = { now: null, manual: false };
let clockStarted = false;
const clockListeners = new Set<() => void>();

export function refreshClock(): void {
  clockStarted = true;
  api.get<{ now: string }>('/api/v1/sim/clock').then(
    (answer) => {
      clock = { now: answer.now, manual: true };
      for (const listener of clockListeners) listener();
    },
    () => {
      clock = { now: null, manual: false };
      for (const listener of clockListeners) listener();
    },
  );
}

/** The platform's time when the clock is simulated, else null (use the real time). */
export function useSimClock(): ClockState {
  if (!clockStarted) refreshClock();
  return useSyncExternalStore(
    (listener) => {
      clockListeners.add(listener);
      return () => clockListeners.delete(listener);
    },
    () => clock,
  );
}
