import { performance } from 'node:perf_hooks';
import type { App } from './app-type.js';
import type { Deps } from './deps.js';

/**
 * Watches the database through a trivial query sent through the pool every quarter of
 * `limitMs` while requests are in flight (and, while the database is down, until it is back):
 * - saturated: behind a saturated pool the probe queues like everything else; when it has
 *   waited (or is still waiting) longer than `limitMs`, new requests are better answered at
 *   once with 503 than queued;
 * - down: the probe failed (connection refused or dropped). New API requests are answered
 *   503 without touching the pool until a probe succeeds again. This also keeps requests away
 *   from postgres.js while its connections fail, where a query can be left unanswered.
 * A probe unanswered for 3 × `limitMs` (at least a second) is abandoned and a new one sent: the
 * pool stays "saturated" meanwhile, but a probe lost by the driver cannot keep the service shut.
 */
export function watchDatabase(
  app: App,
  deps: Deps,
  limitMs: number,
  busy: () => boolean,
): { saturated(): boolean; down(): boolean } {
  if (limitMs <= 0) return { saturated: () => false, down: () => false };
  let probe: { startedAt: number } | null = null;
  let lastWaitMs = 0;
  let isDown = false;
  let timer: NodeJS.Timeout | undefined;
  const abandonAfterMs = Math.max(3 * limitMs, 1_000);
  const tick = () => {
    if (probe && performance.now() - probe.startedAt < abandonAfterMs) return;
    if (!busy() && !isDown) {
      probe = null;
      lastWaitMs = 0;
      return;
    }
    const current = { startedAt: performance.now() };
    probe = current;
    deps.sql`select 1`.then(
      () => {
        if (probe !== current) return;
        lastWaitMs = performance.now() - current.startedAt;
        isDown = false;
        probe = null;
      },
      () => {
        if (probe !== current) return;
        lastWaitMs = 0;
        isDown = true;
        probe = null;
      },
    );
  };
  app.addHook('onReady', async () => {
    timer = setInterval(tick, Math.max(20, Math.floor(limitMs / 4)));
    timer.unref();
  });
  app.addHook('onClose', async () => {
    clearInterval(timer);
  });
  return {
    saturated: () => {
      const waiting = probe === null ? 0 : performance.now() - probe.startedAt;
      return Math.max(waiting, lastWaitMs) > limitMs;
    },
    down: () => isDown,
  };
}
