import type { Deps } from '../platform/deps.js';
import { limitedTry } from '../platform/rate-limit.js';
import { takeChallenge, verifyEd25519 } from './challenges.js';
import { deviceSessionChannel, findActiveDevice, findPersonById } from './identity.repo.js';
import { authFailed, loginAddressLimit, personView } from './login-limits.js';
import { openCitizenSession } from './sessions.js';

/**
 * App sign-in with a bound device (SPEC §2): the device's key signs a challenge. The session
 * channel follows how the device was bound: app_phone for the phone check, app_device for a
 * device code or a counter binding. Failures are 401 AUTH_FAILED. Each try is reserved against the
 * client address before it is evaluated; a failure (no valid signature by the device's key)
 * proves nothing about the device's owner, so it never counts against the device.
 */
export async function loginWithDevice(
  input: { deviceId: number; challengeId: string; signature: string; clientAddress: string },
  deps: Deps,
) {
  const now = deps.clock.now();
  const limits = [loginAddressLimit('device', input.clientAddress)];
  return limitedTry(deps.sql, limits, now, async () => {
    const nonce = await takeChallenge(deps.sql, deps.vault, input.challengeId, now);
    const device = nonce === null ? undefined : await findActiveDevice(deps.sql, input.deviceId);
    const signed =
      device !== undefined && nonce !== null && verifyEd25519(device.publicKeyPem, nonce, input.signature);
    const person = signed && device ? await findPersonById(deps.sql, deps.vault, device.personId) : undefined;
    if (!device || !person) return { ok: false, error: authFailed() };
    const channel = deviceSessionChannel(device.channel);
    const token = await deps.sql.begin((tx) =>
      openCitizenSession(tx, { personId: person.id, channel, deviceId: device.id }, now),
    );
    return { ok: true, value: { token, channel, person: personView(person) } };
  });
}
