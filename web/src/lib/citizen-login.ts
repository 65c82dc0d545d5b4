import { setSession } from './session';

/** The answer of the citizen logins (`/api/v1/auth/nhi-card/login`, `/api/v1/auth/certificate/login`). */
export interface CitizenLoginAnswer {
  token: string;
  person?: { name?: string; nationalIdMasked?: string };
}

/** Starts the citizen's session from a login's answer; `fallbackName` when the answer names no one. */
export function startCitizenSession(
  answer: CitizenLoginAnswer,
  method: 'card' | 'certificate',
  fallbackName = '',
): void {
  setSession('citizen', {
    token: answer.token,
    name: answer.person?.name ?? fallbackName,
    nationalIdMasked: answer.person?.nationalIdMasked ?? '',
    method,
  });
}
