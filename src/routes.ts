import { adminRoutes } from './admin/admin.routes.js';
import { healthRoutes } from './health/health.routes.js';
import type { App } from './platform/app.js';
import type { Deps } from './platform/deps.js';
import { roundsRoutes } from './rounds/rounds.routes.js';
import { simClockRoutes } from './sim/clock.routes.js';
import { storesRoutes } from './stores/stores.routes.js';

/** Every capability's routes, in one list. */
export async function registerRoutes(app: App, deps: Deps): Promise<void> {
  await healthRoutes(app, deps);
  await simClockRoutes(app, deps);
  await adminRoutes(app, deps);
  await roundsRoutes(app, deps);
  await storesRoutes(app, deps);
}
