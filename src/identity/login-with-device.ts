import type { Deps } from '../platform/deps.js';
import { takeChallenge, verifyEd25519 } from './challenges.js';
import { deviceSessionChannel, findActiveDevice, findPersonById } from './identity.repo.js';
import { assertLoginAllowed, failedAttempt, loginLimits, personView } from './login-limits.js';
import { openCitizenSession } from './sessions.js';

/**
 * App sign-in with a bound device (SPEC §2): the device's key signs a challenge. The session
 * channel follows how the device was bound: app_phone for the phone check, app_device for a
 * device code or a counter binding. Failures are 401 AUTH_FAILED, counted per device and address.
 */
export async function loginWithDevice(
  input: { deviceId: number; challengeId: string; signature: string; clientAddress: string },
  deps: Deps,
) {
  const now = deps.clock.now();
  const limits = loginLimits('device', String(input.deviceId), input.clientAddress);
  await assertLoginAllowed(deps.sql, limits, now);
  const nonce = await takeChallenge(deps.sql, deps.vault, input.challengeId, now);
  const device = nonce === null ? undefined : await findActiveDevice(deps.sql, input.deviceId);
  const signed =
    device !== undefined && nonce !== null && verifyEd25519(device.publicKeyPem, nonce, input.signature);
  const person = signed && device ? await findPersonById(deps.sql, deps.vault, device.personId) : undefined;
  if (!device || !person) throw await failedAttempt(deps.sql, limits, now);
  const channel = deviceSessionChannel(device.channel);
  const token = await deps.sql.begin((tx) =>
    openCitizenSession(tx, { personId: person.id, channel, deviceId: device.id }, now),
  );
  return { token, channel, person: personView(person) };
}
