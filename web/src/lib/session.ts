import { useSyncExternalStore } from 'react';

/**
 * Who is signed in, per role, for this browser tab (sessionStorage): a citizen on the eMask
 * site, the app, an operator, a pharmacy, a store. Tokens are never put in localStorage.
 */
export interface CitizenSession {
  token: string;
  name: string;
  nationalIdMasked: string;
  method: 'card' | 'certificate';
}
export interface AppSession {
  token: string;
  deviceId: string | number;
}
export interface AdminSession {
  token: string;
  username: string;
}
export interface PharmacySession {
  code: string;
  apiKey: string;
  name?: string;
}
export interface StoreSession {
  storeId: number;
  apiKey: string;
  name?: string;
}

interface Sessions {
  citizen: CitizenSession;
  app: AppSession;
  admin: AdminSession;
  pharmacy: PharmacySession;
  store: StoreSession;
}
export type Role = keyof Sessions;

const listeners = new Set<() => void>();
const cache = new Map<Role, { raw: string | null; value: unknown }>();

function storageKey(role: Role): string {
  return `session.${role}`;
}

export function getSession<R extends Role>(role: R): Sessions[R] | null {
  const raw = sessionStorage.getItem(storageKey(role));
  const cached = cache.get(role);
  if (cached && cached.raw === raw) return cached.value as Sessions[R] | null;
  let value: Sessions[R] | null = null;
  try {
    value = raw ? (JSON.parse(raw) as Sessions[R]) : null;
  } catch {
    value = null;
  }
  cache.set(role, { raw, value });
  return value;
}

export function setSession<R extends Role>(role: R, value: Sessions[R] | null): void {
  if (value) sessionStorage.setItem(storageKey(role), JSON.stringify(value));
  else sessionStorage.removeItem(storageKey(role));
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useSession<R extends Role>(role: R): Sessions[R] | null {
  return useSyncExternalStore(subscribe, () => getSession(role));
}
