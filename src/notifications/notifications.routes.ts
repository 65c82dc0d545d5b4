import type { App } from '../platform/app-type.js';
import type { Deps } from '../platform/deps.js';
import { simOutboxRoutes } from '../sim/outbox.routes.js';
import { createNotifications } from './start-notifications.js';

/**
 * Starts the outbox delivery (and the local SMTP server with SIMULATORS=on) with the app and
 * stops it when the app closes; serves GET /api/v1/sim/outbox.
 */
export async function notificationsRoutes(app: App, deps: Deps): Promise<void> {
  const notifications = createNotifications(deps);
  app.addHook('onReady', async () => {
    await notifications.start();
  });
  app.addHook('onClose', async () => {
    await notifications.stop();
  });
  await simOutboxRoutes(app, deps, notifications);
}
