import { Type } from 'typebox';
import type { App } from '../platform/app.js';
import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';

const ClockBody = Type.Object({ now: Type.String({ format: 'date-time' }) });
const ClockView = Type.Object({ now: Type.String({ format: 'date-time' }) });

/** The demo clock (API.md "Simulation"): present only with CLOCK=manual, otherwise 404. */
export async function simClockRoutes(app: App, deps: Deps): Promise<void> {
  const manual = deps.manualClock;
  const requireManual = async () => {
    if (!manual) throw new AppError('UNKNOWN_ROUTE', 'The clock is real; it cannot be set.');
  };
  app.get(
    '/api/v1/sim/clock',
    { schema: { tags: ['simulation'], response: { 200: ClockView } }, preHandler: requireManual },
    async () => ({ now: deps.clock.now().toISOString() }),
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
      return { now: instant.toISOString() };
    },
  );
}
