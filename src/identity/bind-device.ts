import { writeAudit } from '../platform/audit.js';
import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { limitedTry } from '../platform/rate-limit.js';
import { deviceCodeHash } from './create-device-code.js';
import { requireDeviceKey } from './device-key.js';
import { consumeDeviceCode, insertDevice, linkDeviceCode } from './identity.repo.js';
import { deviceCodeLimits } from './login-limits.js';
import { openCitizenSession } from './sessions.js';

/**
 * The app side of the device code (SPEC §2 [ID 14, 5.1]): a live code binds the phone's key to
 * the person who made the code and opens an app_device session. Expired, used and unknown
 * codes all answer 410 DEVICE_CODE_EXPIRED (so an answer never tells a guesser that a code
 * exists). Each try is reserved against the client address before the code is looked at, and
 * a failed one stays counted (429 once the limit is full, however many guesses arrive at once).
 */
export async function bindDevice(
  input: { code: string; devicePublicKeyPem: string; clientAddress: string },
  deps: Deps,
): Promise<{ deviceId: number; token: string }> {
  const publicKeyPem = requireDeviceKey(input.devicePublicKeyPem);
  const now = deps.clock.now();
  const limits = deviceCodeLimits(input.clientAddress);
  const hash = deviceCodeHash(input.code);
  return limitedTry(deps.sql, limits, now, async () => {
    const bound = await deps.sql.begin(async (tx) => {
      const personId = await consumeDeviceCode(tx, hash, now);
      if (personId === undefined) return null;
      const deviceId = await insertDevice(
        tx,
        deps.vault,
        { personId, publicKeyPem, channel: 'app_device' },
        now,
      );
      await linkDeviceCode(tx, hash, deviceId);
      await writeAudit(
        tx,
        {
          actorKind: 'citizen',
          actorId: `person:${personId}`,
          action: 'device.bind',
          subject: `device:${deviceId}`,
          details: { via: 'device_code' },
        },
        now,
      );
      const token = await openCitizenSession(tx, { personId, channel: 'app_device', deviceId }, now);
      return { deviceId, token };
    });
    return bound
      ? { ok: true, value: bound }
      : {
          ok: false,
          error: new AppError(
            'DEVICE_CODE_EXPIRED',
            'This device code has expired or was already used. Make a new one.',
          ),
        };
  });
}
