import { type Clock, realClock } from './clock.js';
import { AppError } from './errors.js';

const WINDOW_MS = 60 * 1000;

/**
 * A per-process, in-memory limit of `perMinute` events per key (a client address) in fixed
 * one-minute windows, for cheap calls that anyone may make but nobody should flood (creating
 * challenges: docs/SECURITY.md). In memory because every sale and sign-in creates a challenge:
 * a database round trip per check would double the cost of the hot path, and a flood limit
 * needs no cross-process precision (N processes allow N × the limit). Windows run on real time,
 * since the limit protects real capacity (the demo clock stands still).
 */
export class FloodLimit {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly clock: Clock = realClock,
  ) {}

  /** Count one event for `key`; 429 TOO_MANY_REQUESTS with Retry-After when over the limit. */
  hit(key: string): void {
    if (this.perMinute <= 0) return;
    const now = this.clock.now().getTime();
    let window = this.windows.get(key);
    if (!window || now - window.startedAt >= WINDOW_MS) {
      if (this.windows.size >= 100_000) this.sweep(now);
      window = { startedAt: now, count: 0 };
      this.windows.set(key, window);
    }
    if (window.count >= this.perMinute) {
      const seconds = Math.max(1, Math.ceil((window.startedAt + WINDOW_MS - now) / 1000));
      throw new AppError(
        'TOO_MANY_REQUESTS',
        `Too many requests from this address. Try again in ${seconds} seconds.`,
        { retryAfterSeconds: seconds },
        { 'Retry-After': String(seconds) },
      );
    }
    window.count += 1;
  }

  /** Forget windows that have ended (bounded memory under many addresses). */
  private sweep(now: number): void {
    for (const [key, window] of this.windows) {
      if (now - window.startedAt >= WINDOW_MS) this.windows.delete(key);
    }
  }
}
