import { writeAudit } from '../platform/audit.js';
import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { windowProblems } from '../rules/rounds.js';
import { isDay } from '../rules/taipei-date.js';
import { insertRound, type Round, roundById } from './rounds.repo.js';

export interface CreateRoundInput {
  name: string;
  registrationOpensAt: string;
  registrationClosesAt: string;
  paymentOpensAt: string;
  paymentClosesAt: string;
  pickupStartsOn: string;
  pickupEndsOn: string;
  supplyPacks: number;
}

/** Rounds are data, not code (SPEC §5): every window comes from here. */
export async function createRound(input: CreateRoundInput, deps: Deps, actor: string): Promise<Round> {
  const instants = {
    registrationOpensAt: new Date(input.registrationOpensAt),
    registrationClosesAt: new Date(input.registrationClosesAt),
    paymentOpensAt: new Date(input.paymentOpensAt),
    paymentClosesAt: new Date(input.paymentClosesAt),
  };
  const bad: string[] = [];
  for (const [field, value] of Object.entries(instants)) if (Number.isNaN(value.getTime())) bad.push(field);
  for (const field of ['pickupStartsOn', 'pickupEndsOn'] as const) if (!isDay(input[field])) bad.push(field);
  if (bad.length > 0) {
    throw new AppError('VALIDATION_FAILED', `Not a valid time: ${bad.join(', ')}.`, {
      fields: bad.map((f) => ({ field: `body/${f}` })),
    });
  }
  const problems = windowProblems({
    ...instants,
    pickupStartsOn: input.pickupStartsOn,
    pickupEndsOn: input.pickupEndsOn,
  });
  if (problems.length > 0) {
    throw new AppError(
      'VALIDATION_FAILED',
      `The windows are out of order: ${problems.map((p) => p.problem).join('; ')}.`,
      {
        fields: problems.map((p) => ({
          field: `body/${p.field}`,
          problem: p.problem,
          after: `body/${p.after}`,
        })),
      },
    );
  }
  const now = deps.clock.now();
  return deps.sql.begin(async (tx) => {
    const id = await insertRound(
      tx,
      {
        name: input.name,
        ...instants,
        pickupStartsOn: input.pickupStartsOn,
        pickupEndsOn: input.pickupEndsOn,
        supplyPacks: input.supplyPacks,
      },
      now,
    );
    await writeAudit(
      tx,
      { actorKind: 'admin', actorId: actor, action: 'round.create', subject: `round:${id}` },
      now,
    );
    const round = await roundById(tx, id);
    if (!round) throw new Error('round vanished');
    return round;
  });
}
