import { useEffect } from 'react';
import { ApiError } from './api';
import { type Role, setSession } from './session';

/**
 * An expired or revoked token (401) ends that role's session: the person signs in again. One
 * rule for the citizen, app and operator screens, kept here so that pages need nothing from
 * the section that shows them (no import cycle).
 */
export function endSessionOn401(role: Role, error: unknown): void {
  if (error instanceof ApiError && error.status === 401) setSession(role, null);
}

/** `endSessionOn401` whenever a screen's error changes. */
export function useEndSessionOn401(role: Role, error: unknown): void {
  useEffect(() => endSessionOn401(role, error), [role, error]);
}
