import { writeAudit } from '../platform/audit.js';
import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { bucket, type Limit } from '../platform/rate-limit.js';
import { hashPassword } from '../platform/secrets.js';
import { requireDeviceKey } from './device-key.js';
import { findPersonByNationalId, insertDevice, saveAppPassword } from './identity.repo.js';
import { assertLoginAllowed, failedAttempt, LOGIN_LIMITS } from './login-limits.js';
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
 * Phone check with one's own number (本人手機門號, SPEC §2 [ID 1.1, 2, 4, 5, 5.2, 10, 12]): the
 * telecom says who holds the number (no SMS code is sent), refusals come in the order of
 * PHONE_REFUSAL_PRECEDENCE; then the ID and the last 4 digits of the person's current NHI card
 * must match (403 IDENTITY_MISMATCH). On success the app password is set (again: that is how a
 * forgotten one is replaced [ID 3]), the phone's key is bound and an app_phone session opens.
 * Every refusal counts against the client address; a mismatch also against the ID, so the
 * 4 card digits cannot be guessed.
 */
export async function authenticatePhone(
  input: AuthenticatePhoneInput,
  deps: Deps & { telecom: TelecomAdapter },
): Promise<{ deviceId: number; token: string }> {
  const publicKeyPem = requireDeviceKey(input.devicePublicKeyPem);
  const nationalId = input.nationalId.toUpperCase();
  const now = deps.clock.now();
  const perAddress: Limit[] = [
    { bucket: bucket('phone-address', input.clientAddress), ...LOGIN_LIMITS.perAddress },
  ];
  const perId: Limit[] = [
    {
      bucket: bucket('phone-id', deps.vault.indexHex('national_id', nationalId)),
      ...LOGIN_LIMITS.perSubject,
    },
  ];
  await assertLoginAllowed(deps.sql, [...perId, ...perAddress], now);

  const subscriber = await deps.telecom.lookupSubscriber(input.phone);
  const person = await findPersonByNationalId(deps.sql, deps.vault, nationalId);
  const refusal = phoneRefusal(subscriber, {
    nationalId,
    personIsForeign: person ? person.nationality === 'foreign' : null,
  });
  if (refusal) {
    throw await failedAttempt(
      deps.sql,
      perAddress,
      now,
      new AppError(refusal, PHONE_REFUSAL_MESSAGES[refusal]),
    );
  }
  if (!person?.cardNo?.endsWith(input.cardLast4)) {
    throw await failedAttempt(
      deps.sql,
      [...perId, ...perAddress],
      now,
      new AppError(
        'IDENTITY_MISMATCH',
        'The ID number and the last 4 digits of the NHI card do not match a card holder.',
      ),
    );
  }
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
