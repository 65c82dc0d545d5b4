import type { App } from '../platform/app-type.js';
import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';
import { DemoDataView } from './demo.schemas.js';
import { getDemoData } from './get-demo-data.js';

/** `GET /api/v1/sim/demo-data` (docs/DEMO.md): the demo's people and keys; only with SIMULATORS=on. */
export async function demoRoutes(app: App, deps: Deps): Promise<void> {
  const requireSimulators = async () => {
    if (!deps.config.simulators) throw new AppError('UNKNOWN_ROUTE', 'Simulators are off.');
  };
  app.get(
    '/api/v1/sim/demo-data',
    { schema: { tags: ['simulation'], response: { 200: DemoDataView } }, preHandler: requireSimulators },
    async () => getDemoData(deps),
  );
}
