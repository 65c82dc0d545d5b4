import type { App } from '../platform/app-type.js';
import type { Deps } from '../platform/deps.js';
import { listRounds, roundView } from './rounds.repo.js';
import { RoundsView } from './rounds.schemas.js';

export async function roundsRoutes(app: App, deps: Deps): Promise<void> {
  app.get('/api/v1/rounds', { schema: { tags: ['public'], response: { 200: RoundsView } } }, async () => {
    const now = deps.clock.now();
    return { rounds: (await listRounds(deps.sql)).map((r) => roundView(r, now)) };
  });
}
