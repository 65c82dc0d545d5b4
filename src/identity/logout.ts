import { revokeLiveSession } from '../platform/auth.js';
import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { tokenHash } from '../platform/secrets.js';

/** Revoke the bearer token (citizen or operator). A token that is not live any more is 401. */
export async function logout(input: { token: string | null }, deps: Deps): Promise<void> {
  const revoked = input.token
    ? await revokeLiveSession(deps.sql, tokenHash(input.token), deps.clock.now())
    : false;
  if (!revoked) {
    throw new AppError('UNAUTHORIZED', 'Sign in first: the bearer token is missing, expired or invalid.');
  }
}
