import { writeAudit } from '../platform/audit.js';
import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { bucket, type Limit, limitedTry } from '../platform/rate-limit.js';
import { hashPassword } from '../platform/secrets.js';
import { requireDeviceKey } from './device-key.js';
import { findPersonByNationalId, insertDevice, saveAppPassword } from './identity.repo.js';
import { LOGIN_LIMITS } from './login-limits.js';
import { PHONE_REFUSAL_MESSAGES, phoneRefusal } from './phone-eligibility.js';
import { openCitizenSession } from './sessions.js';
import type { TelecomAdapter } from './telecom.js';

export interface AuthenticatePhoneInput {
  phone: string;
  nationalId: string;
  cardLast4: string;
  password: string;
  devicePublicKeyPem: string;
  clientAddress: string;
}

/**
 * Phone check with one's own number (本人手機門號, SPEC §2 [ID 1.1, 2, 4, 5, 5.2, 10, 12]).
 * First the ID and the last 4 digits of the person's current NHI card must match a card holder
 * (403 IDENTITY_MISMATCH); only a caller who passed that learns anything about the number
 * (API.md v1.1): the telecom then says who holds it (no SMS code is sent), refusals in the order
 * of PHONE_REFUSAL_PRECEDENCE. On success the app password is set (again: that is how a
 * forgotten one is replaced [ID 3]), the phone's key is bound and an app_phone session opens.
 * Each try is reserved against the ID and the client address before it is evaluated; a mismatch
 * stays counted against both (at most 5 per ID in 15 minutes, so the 4 card digits cannot be
 * guessed, even by racing), a phone refusal against the address only.
 */
export async function authenticatePhone(
  input: AuthenticatePhoneInput,
  deps: Deps & { telecom: TelecomAdapter },
): Promise<{ deviceId: number; token: string }> {
  const publicKeyPem = requireDeviceKey(input.devicePublicKeyPem);
  const nationalId = input.nationalId.toUpperCase();
  const now = deps.clock.now();
  const perId: Limit = {
    bucket: bucket('phone-id', deps.vault.indexHex('national_id', nationalId)),
    ...LOGIN_LIMITS.perSubject,
  };
  const perAddress: Limit = {
    bucket: bucket('phone-address', input.clientAddress),
    ...LOGIN_LIMITS.perAddress,
  };
  const person = await limitedTry(deps.sql, [perId, perAddress], now, async () => {
    const holder = await findPersonByNationalId(deps.sql, deps.vault, nationalId);
    if (!holder?.cardNo?.endsWith(input.cardLast4)) {
      return {
        ok: false,
        error: new AppError(
          'IDENTITY_MISMATCH',
          'The ID number and the last 4 digits of the NHI card do not match a card holder.',
        ),
      };
    }
    const subscriber = await deps.telecom.lookupSubscriber(input.phone);
    const refusal = phoneRefusal(subscriber, {
      nationalId,
      personIsForeign: holder.nationality === 'foreign',
    });
    if (refusal) {
      return {
        ok: false,
        error: new AppError(refusal, PHONE_REFUSAL_MESSAGES[refusal]),
        countAgainst: [perAddress],
      };
    }
    return { ok: true, value: holder };
  });
  const passwordHash = await hashPassword(input.password);
  return deps.sql.begin(async (tx) => {
    await saveAppPassword(tx, person.id, passwordHash, now);
    const deviceId = await insertDevice(
      tx,
      deps.vault,
      { personId: person.id, publicKeyPem, channel: 'app_phone', phone: input.phone },
      now,
    );
    await writeAudit(
      tx,
      {
        actorKind: 'citizen',
        actorId: `person:${person.id}`,
        action: 'device.bind',
        subject: `device:${deviceId}`,
        details: { via: 'app_phone' },
      },
      now,
    );
    const token = await openCitizenSession(tx, { personId: person.id, channel: 'app_phone', deviceId }, now);
    return { deviceId, token };
  });
}
