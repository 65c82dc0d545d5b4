import { useCallback, useEffect, useState } from 'react';
import { ApiError } from './api';
import { getSession, type Role, setSession } from './session';

/**
 * An expired or revoked token (401) ends that role's session: the person signs in again. One
 * rule for the citizen, app and operator screens, kept here so that pages need nothing from
 * the section that shows them (no import cycle).
 *
 * The end is not silent and loses nothing (issue 17 point 3): the role is marked as expired, so
 * its sign-in can say why it is back, and what the person was typing is kept in drafts
 * (`useKeptDraft`) that the screen finds again once signed in. A sign-out on purpose
 * (`signOut`) clears both. Drafts live in this tab's sessionStorage, as the tokens do, and must
 * never hold a secret (a password, a key): only what the person typed into a form.
 */
export function endSessionOn401(role: Role, error: unknown): void {
  if (!(error instanceof ApiError && error.status === 401)) return;
  if (getSession(role)) sessionStorage.setItem(expiredKey(role), '1');
  setSession(role, null);
}

/** `endSessionOn401` whenever a screen's error changes. */
export function useEndSessionOn401(role: Role, error: unknown): void {
  useEffect(() => endSessionOn401(role, error), [role, error]);
}

function expiredKey(role: Role): string {
  return `session-expired.${role}`;
}

function draftPrefix(role: Role): string {
  return `draft.${role}.`;
}

/** Whether the role's last session ended by expiring (a 401), not by signing out. */
export function sessionExpired(role: Role): boolean {
  return sessionStorage.getItem(expiredKey(role)) !== null;
}

/** Signed in again: the expiry has been told. */
export function clearSessionExpired(role: Role): void {
  sessionStorage.removeItem(expiredKey(role));
}

/** A sign-out on purpose: the session, its expiry mark and every draft of the role go. */
export function signOut(role: Role): void {
  clearSessionExpired(role);
  const prefix = draftPrefix(role);
  for (let i = sessionStorage.length - 1; i >= 0; i--) {
    const key = sessionStorage.key(i);
    if (key?.startsWith(prefix)) sessionStorage.removeItem(key);
  }
  setSession(role, null);
}

function readDraft<T>(storageKey: string, initial: T): T {
  try {
    const raw = sessionStorage.getItem(storageKey);
    return raw === null ? initial : { ...initial, ...(JSON.parse(raw) as T) };
  } catch {
    return initial;
  }
}

/**
 * State that outlives the screen: a form's values, written to sessionStorage from the first
 * render on (a generated draw seed is kept as it was shown), so that a screen unmounted by an
 * expired session shows them again after signing in. `clear` once the action is done. `T` is a
 * plain object of what was typed — never a secret.
 */
export function useKeptDraft<T extends Record<string, string>>(
  role: Role,
  name: string,
  initial: () => T,
): { value: T; set: (update: (value: T) => T) => void; clear: () => void } {
  const storageKey = `${draftPrefix(role)}${name}`;
  const [value, setValue] = useState(() => {
    const kept = readDraft(storageKey, initial());
    sessionStorage.setItem(storageKey, JSON.stringify(kept));
    return kept;
  });
  const set = useCallback(
    (update: (value: T) => T) =>
      setValue((current) => {
        const next = update(current);
        sessionStorage.setItem(storageKey, JSON.stringify(next));
        return next;
      }),
    [storageKey],
  );
  const clear = useCallback(() => {
    const fresh = initial();
    sessionStorage.setItem(storageKey, JSON.stringify(fresh));
    setValue(fresh);
  }, [storageKey, initial]);
  return { value, set, clear };
}
