import type { App } from '../platform/app-type.js';
import type { Deps } from '../platform/deps.js';
import { AppError } from '../platform/errors.js';

export async function healthRoutes(app: App, deps: Deps): Promise<void> {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'up' }));
  app.get('/readyz', { schema: { hide: true } }, async () => {
    try {
      await Promise.race([
        deps.sql`select 1`,
        new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref()),
      ]);
    } catch {
      throw new AppError('SERVICE_UNAVAILABLE', 'The database does not answer.', {}, { 'Retry-After': '1' });
    }
    return { status: 'ready' };
  });
}
