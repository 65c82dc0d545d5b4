import { writeAudit } from '../platform/audit.js';
import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { hashPassword } from '../platform/secrets.js';
import { requireDeviceKey } from './device-key.js';
import { findPersonByNationalId, insertDevice, saveAppPassword } from './identity.repo.js';
import { personView } from './login-limits.js';

export interface CounterDocuments {
  /** The NHI card presented: its 12-digit number must be the person's current card. */
  nhiCardNo: string;
  /** Nationals: the ID card (身分證) number. */
  idCardNumber?: string | undefined;
  /** Foreign residents: the resident certificate (晶片居留證) number. */
  arcNumber?: string | undefined;
  /** Nationals: the household register (戶口名簿) was shown. Recorded, not required. */
  householdRegister?: boolean | undefined;
}

export interface CounterRegistrationInput {
  nationalId: string;
  documents: CounterDocuments;
  phone?: string | undefined;
  devicePublicKeyPem: string;
  password?: string | undefined;
}

const mismatch = (what: string) =>
  new AppError('DOCUMENT_MISMATCH', `The ${what} presented does not belong to this person.`);

/**
 * Counter registration (臨櫃, SPEC §2 [ID 1.1, 5.1, 7]): an operator checks the documents (NHI
 * card plus ID card, or plus resident certificate for a foreigner) and binds the person's phone
 * on their behalf. The device row records channel `counter`; its later device logins are app
 * sessions (`app_device`). Audited with the operator's username.
 */
export async function registerAtCounter(input: CounterRegistrationInput, deps: Deps, operator: string) {
  const publicKeyPem = requireDeviceKey(input.devicePublicKeyPem);
  const nationalId = input.nationalId.toUpperCase();
  const person = await findPersonByNationalId(deps.sql, deps.vault, nationalId);
  if (!person?.cardNo) {
    throw new AppError('UNKNOWN_PERSON', 'No NHI card holder has this ID; a card must be issued first.');
  }
  const docs = input.documents;
  if (docs.nhiCardNo !== person.cardNo) throw mismatch('NHI card');
  if (person.nationality === 'TW') {
    if (docs.idCardNumber?.toUpperCase() !== person.nationalId) throw mismatch('ID card');
  } else {
    const arc = docs.arcNumber?.toUpperCase();
    if (!arc || (arc !== person.arcNumber && arc !== person.nationalId))
      throw mismatch('resident certificate');
  }
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  const now = deps.clock.now();
  const deviceId = await deps.sql.begin(async (tx) => {
    if (passwordHash) await saveAppPassword(tx, person.id, passwordHash, now);
    const id = await insertDevice(
      tx,
      deps.vault,
      { personId: person.id, publicKeyPem, channel: 'counter', phone: input.phone, boundBy: operator },
      now,
    );
    await writeAudit(
      tx,
      {
        actorKind: 'admin',
        actorId: operator,
        action: 'identity.counter_registration',
        subject: `device:${id}`,
        details: {
          personId: person.id,
          documents: {
            nhiCard: true,
            idCard: person.nationality === 'TW',
            residentCertificate: person.nationality !== 'TW',
            householdRegister: docs.householdRegister === true,
          },
          phoneBound: input.phone !== undefined,
          passwordSet: passwordHash !== undefined,
        },
      },
      now,
    );
    return id;
  });
  return { deviceId, person: personView(person) };
}
