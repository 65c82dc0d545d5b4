import { Type } from 'typebox';
import type { App } from '../platform/app-type.js';
import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { toTaipeiIso } from '../rules/taipei-date.js';

const ClockBody = Type.Object({ now: Type.String({ format: 'date-time' }) });
const ClockView = Type.Object({ now: Type.String({ format: 'date-time' }) });

/** API.md "Conventions": times are ISO-8601 with offset, as the example `2020-03-12T09:00:00+08:00`. */
function withOffset(instant: Date): string {
  const ms = instant.getUTCMilliseconds();
  const iso = toTaipeiIso(instant);
  return ms === 0 ? iso : `${iso.slice(0, 19)}.${String(ms).padStart(3, '0')}${iso.slice(19)}`;
}

/** The demo clock (API.md "Simulation"): present only with CLOCK=manual, otherwise 404. */
export async function simClockRoutes(app: App, deps: Deps): Promise<void> {
  const manual = deps.manualClock;
  const requireManual = async () => {
    if (!manual) throw new AppError('UNKNOWN_ROUTE', 'The clock is real; it cannot be set.');
  };
  app.get(
    '/api/v1/sim/clock',
    { schema: { tags: ['simulation'], response: { 200: ClockView } }, preHandler: requireManual },
    async () => ({ now: withOffset(deps.clock.now()) }),
  );
  app.put(
    '/api/v1/sim/clock',
    {
      schema: { tags: ['simulation'], body: ClockBody, response: { 200: ClockView } },
      preHandler: requireManual,
    },
    async (request) => {
      const instant = new Date(request.body.now);
      if (Number.isNaN(instant.getTime()) || !manual) {
        throw new AppError('VALIDATION_FAILED', 'now must be an ISO-8601 instant.', {
          fields: [{ field: 'body/now' }],
        });
      }
      await manual.persist(deps.sql, instant);
      return { now: withOffset(instant) };
    },
  );
}
