import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { taipeiDay, toTaipeiIso } from '../rules/taipei-date.js';
import { funnel, ordersPerHour, purchasesPerDay, statsRound, stockByCity } from './stats.repo.js';

/**
 * Live figures for the operator console (SPEC §1 "watch load"; §9 the launch rush): orders per
 * hour of a round, its draw → payment → pickup funnel, purchases per channel per day and
 * pharmacy stock per city. Read-only, computed in SQL over the tables as they stand.
 */
export async function getStats(
  options: { roundId?: number | undefined; days?: number | undefined },
  deps: Deps,
) {
  const now = deps.clock.now();
  const round = await statsRound(deps.sql, options.roundId, now);
  if (options.roundId !== undefined && !round) {
    throw new AppError('UNKNOWN_ROUND', `No round ${options.roundId}.`);
  }
  const [hours, counts, days, stock] = await Promise.all([
    round ? ordersPerHour(deps.sql, round, now) : Promise.resolve([]),
    round ? funnel(deps.sql, round.id) : Promise.resolve({ orders: 0, selected: 0, paid: 0, collected: 0 }),
    purchasesPerDay(deps.sql, taipeiDay(now), options.days ?? 14),
    stockByCity(deps.sql),
  ]);
  return {
    generatedAt: toTaipeiIso(now),
    round: round
      ? {
          id: round.id,
          name: round.name,
          registrationOpensAt: toTaipeiIso(round.registrationOpensAt),
          registrationClosesAt: toTaipeiIso(round.registrationClosesAt),
        }
      : null,
    ordersPerHour: hours.map((h) => ({ hour: toTaipeiIso(h.hour), orders: h.orders })),
    funnel: counts,
    purchasesPerDay: days,
    stockByCity: stock,
  };
}
