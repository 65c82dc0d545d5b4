import type { Channel } from '../platform/auth.js';
import type { Db } from '../platform/db.js';
import type { Vault } from '../platform/vault.js';
import { maskId } from '../rules/ids.js';

/** A card that is still valid (not revoked by a reissue), with its holder. */
export interface CurrentCard {
  cardNo: string;
  personId: number;
  publicKeyPem: string;
}

export async function findCurrentCard(db: Db, cardNo: string): Promise<CurrentCard | undefined> {
  const rows = await db<CurrentCard[]>`
    select card_no as "cardNo", person_id as "personId", public_key_pem as "publicKeyPem"
    from cards where card_no = ${cardNo} and revoked_at is null`;
  return rows[0];
}

export interface PersonRow {
  id: number;
  nationalId: string;
  name: string;
  nationality: 'TW' | 'foreign';
  arcNumber: string | null;
  /** The person's valid card, if any. */
  cardNo: string | null;
}

const personColumns = (db: Db) => db`
  p.id, p.national_id as "nationalId", p.name, p.nationality, p.arc_number as "arcNumber",
  (select c.card_no from cards c where c.person_id = p.id and c.revoked_at is null) as "cardNo"`;

/** A person's columns as stored: sealed values, the blind indexes and the masked ID. */
export interface SealedPersonColumns {
  national_id: string;
  national_id_index: Buffer;
  national_id_masked: string;
  name: string;
  arc_number: string | null;
  arc_number_index: Buffer | null;
}

export function sealPersonColumns(
  vault: Vault,
  person: { nationalId: string; name: string; arcNumber: string | null },
): SealedPersonColumns {
  return {
    national_id: vault.seal('national_id', person.nationalId),
    national_id_index: vault.index('national_id', person.nationalId),
    national_id_masked: maskId(person.nationalId),
    name: vault.seal('name', person.name),
    arc_number: vault.sealOptional('arc_number', person.arcNumber),
    arc_number_index: person.arcNumber === null ? null : vault.index('arc_number', person.arcNumber),
  };
}

/** The stored row holds sealed personal data (src/platform/vault.ts); this opens it. */
function openPerson(vault: Vault, row: PersonRow | undefined): PersonRow | undefined {
  if (!row) return undefined;
  return {
    ...row,
    nationalId: vault.open('national_id', row.nationalId),
    name: vault.open('name', row.name),
    arcNumber: vault.openOptional('arc_number', row.arcNumber),
  };
}

/** Found by the blind index of the ID: the stored ID itself is sealed. */
export async function findPersonByNationalId(
  db: Db,
  vault: Vault,
  nationalId: string,
): Promise<PersonRow | undefined> {
  const rows = await db<PersonRow[]>`
    select ${personColumns(db)} from persons p
    where p.national_id_index = ${vault.index('national_id', nationalId)}`;
  return openPerson(vault, rows[0]);
}

export async function findPersonById(db: Db, vault: Vault, id: number): Promise<PersonRow | undefined> {
  const rows = await db<PersonRow[]>`select ${personColumns(db)} from persons p where p.id = ${id}`;
  return openPerson(vault, rows[0]);
}

export async function registrationHash(db: Db, cardNo: string): Promise<string | undefined> {
  const rows = await db<{ password_hash: string }[]>`
    select password_hash from card_registrations where card_no = ${cardNo}`;
  return rows[0]?.password_hash;
}

/** Registering again replaces the password [ID 3]. */
export async function saveRegistration(
  db: Db,
  cardNo: string,
  passwordHash: string,
  now: Date,
): Promise<void> {
  await db`
    insert into card_registrations (card_no, password_hash, registered_at, updated_at)
    values (${cardNo}, ${passwordHash}, ${now}, ${now})
    on conflict (card_no) do update set password_hash = excluded.password_hash, updated_at = excluded.updated_at`;
}

export async function saveAppPassword(
  db: Db,
  personId: number,
  passwordHash: string,
  now: Date,
): Promise<void> {
  await db`
    insert into app_passwords (person_id, password_hash, updated_at) values (${personId}, ${passwordHash}, ${now})
    on conflict (person_id) do update set password_hash = excluded.password_hash, updated_at = excluded.updated_at`;
}

export type DeviceChannel = 'app_phone' | 'app_device' | 'counter';

export interface NewDevice {
  personId: number;
  publicKeyPem: string;
  channel: DeviceChannel;
  phone?: string | undefined;
  boundBy?: string | undefined;
}

/** The bound phone number is kept sealed. */
export async function insertDevice(db: Db, vault: Vault, device: NewDevice, now: Date): Promise<number> {
  const [row] = await db<{ id: number }[]>`
    insert into devices (person_id, public_key_pem, channel, phone, bound_at, bound_by)
    values (${device.personId}, ${device.publicKeyPem}, ${device.channel}, ${vault.sealOptional('phone', device.phone)}, ${now},
            ${device.boundBy ?? null})
    returning id`;
  if (!row) throw new Error('device insert returned nothing');
  return row.id;
}

export interface DeviceRow {
  id: number;
  personId: number;
  publicKeyPem: string;
  channel: DeviceChannel;
}

export async function findActiveDevice(db: Db, id: number): Promise<DeviceRow | undefined> {
  const rows = await db<DeviceRow[]>`
    select id, person_id as "personId", public_key_pem as "publicKeyPem", channel
    from devices where id = ${id} and revoked_at is null`;
  return rows[0];
}

/** The session channel of a device login: phone-bound devices stay app_phone, all others app_device. */
export function deviceSessionChannel(channel: DeviceChannel): Channel {
  return channel === 'app_phone' ? 'app_phone' : 'app_device';
}

/**
 * Store a new device code. A hash left by an old code that is used or expired is reused; a
 * live code with the same hash makes this return false (the caller draws another code).
 */
export async function insertDeviceCode(
  db: Db,
  code: { hash: Buffer; personId: number; expiresAt: Date },
  now: Date,
): Promise<boolean> {
  const rows = await db`
    insert into device_codes (code_hash, person_id, created_at, expires_at)
    values (${code.hash}, ${code.personId}, ${now}, ${code.expiresAt})
    on conflict (code_hash) do update set
      person_id = excluded.person_id, created_at = excluded.created_at, expires_at = excluded.expires_at,
      used_at = null, device_id = null
    where device_codes.used_at is not null or device_codes.expires_at <= ${now}
    returning 1`;
  return rows.length === 1;
}

/** Use up a live device code (single use, atomic): the person it was made for, or undefined. */
export async function consumeDeviceCode(db: Db, hash: Buffer, now: Date): Promise<number | undefined> {
  const rows = await db<{ person_id: number }[]>`
    update device_codes set used_at = ${now}
    where code_hash = ${hash} and used_at is null and expires_at > ${now} and created_at <= ${now}
    returning person_id`;
  return rows[0]?.person_id;
}

export async function linkDeviceCode(db: Db, hash: Buffer, deviceId: number): Promise<void> {
  await db`update device_codes set device_id = ${deviceId} where code_hash = ${hash}`;
}
