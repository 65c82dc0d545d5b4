import type { Db } from '../platform/db.js';
import { type RoundWindows, roundState } from '../rules/rounds.js';
import { toTaipeiIso } from '../rules/taipei-date.js';

export interface Round extends RoundWindows {
  id: number;
  name: string;
  supplyPacks: number;
}

const columns = (db: Db) => db`
  id, name, registration_opens_at as "registrationOpensAt", registration_closes_at as "registrationClosesAt",
  payment_opens_at as "paymentOpensAt", payment_closes_at as "paymentClosesAt",
  to_char(pickup_starts_on, 'YYYY-MM-DD') as "pickupStartsOn", to_char(pickup_ends_on, 'YYYY-MM-DD') as "pickupEndsOn",
  supply_packs as "supplyPacks"`;

export async function listRounds(db: Db): Promise<Round[]> {
  return db<Round[]>`select ${columns(db)} from rounds order by registration_opens_at, id`;
}

export async function roundById(db: Db, id: number, lock = false): Promise<Round | undefined> {
  const rows = lock
    ? await db<Round[]>`select ${columns(db)} from rounds where id = ${id} for update`
    : await db<Round[]>`select ${columns(db)} from rounds where id = ${id}`;
  return rows[0];
}

export interface NewRound {
  name: string;
  registrationOpensAt: Date;
  registrationClosesAt: Date;
  paymentOpensAt: Date;
  paymentClosesAt: Date;
  pickupStartsOn: string;
  pickupEndsOn: string;
  supplyPacks: number;
}

/** Inserts a round (windows already checked by the caller); its id. */
export async function insertRound(db: Db, round: NewRound, now: Date): Promise<number> {
  const [row] = await db<{ id: number }[]>`
    insert into rounds (name, registration_opens_at, registration_closes_at, payment_opens_at, payment_closes_at,
                        pickup_starts_on, pickup_ends_on, supply_packs, created_at)
    values (${round.name}, ${round.registrationOpensAt}, ${round.registrationClosesAt}, ${round.paymentOpensAt},
            ${round.paymentClosesAt}, ${round.pickupStartsOn}, ${round.pickupEndsOn}, ${round.supplyPacks}, ${now})
    returning id`;
  if (!row) throw new Error('round insert returned nothing');
  return row.id;
}

/** Marks the round drawn (the draw's transaction). */
export async function markRoundDrawn(db: Db, roundId: number, now: Date): Promise<void> {
  await db`update rounds set drawn_at = ${now} where id = ${roundId}`;
}

export function roundView(round: Round, now: Date) {
  return {
    id: round.id,
    name: round.name,
    registrationOpensAt: toTaipeiIso(round.registrationOpensAt),
    registrationClosesAt: toTaipeiIso(round.registrationClosesAt),
    paymentOpensAt: toTaipeiIso(round.paymentOpensAt),
    paymentClosesAt: toTaipeiIso(round.paymentClosesAt),
    pickupStartsOn: round.pickupStartsOn,
    pickupEndsOn: round.pickupEndsOn,
    supplyPacks: round.supplyPacks,
    state: roundState(round, now),
  };
}
