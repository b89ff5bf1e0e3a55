import type { Clock } from '../core/clock.js';
import type { RefreshPace } from './board.js';

/** Cycles in a row that may run at once because the previous one saw the board change. */
const MAX_QUICK_CYCLES = 3;
/** A rate-limit wait up to this long is waited out in full, without probing (GitHub's guidance). */
const HONOURED_WAIT_MS = 5 * 60_000;

/**
 * When the daemon's next cycle may, and should, run, from what the board's refresh reported
 * (`Board.pace`): the source's minimum interval between polls (GitHub's X-Poll-Interval) holds
 * whatever wakes the loop, and a cycle that saw the board change runs the next at once — a few
 * in a row at most, since our own mirror writes show up as changes too.
 */
export class CyclePace {
  /** Monotonic time before which the next refresh may not start. */
  private notBefore = 0;
  private changed = false;
  /** Consecutive cycles that saw the board change. */
  private quick = 0;

  constructor(
    private readonly clock: Clock,
    private readonly poll: { intervalMs: number; random: () => number },
  ) {}

  /** Waits out the source's minimum interval since the last refresh (resolves early on abort). */
  async ready(signal: AbortSignal): Promise<void> {
    const waitMs = this.notBefore - this.clock.monotonic();
    if (waitMs > 0) await this.clock.sleep(waitMs, signal).catch(() => undefined);
  }

  /** A refresh completed, and the board said this of it. */
  refreshed(pace: RefreshPace | undefined): void {
    this.notBefore = this.clock.monotonic() + (pace?.minIntervalMs ?? 0);
    this.changed = pace?.changed ?? false;
  }

  /**
   * How long the loop sleeps between cycles: the poll interval ±20 % (jitter), less when a
   * backoff ends sooner (`nextWakeAt`, wall time), at least `atLeastMs`.
   */
  sleepMs(nextWakeAt: number | null, atLeastMs: number): number {
    let ms = this.poll.intervalMs * (0.8 + 0.4 * this.poll.random());
    if (nextWakeAt !== null) ms = Math.max(0, Math.min(ms, nextWakeAt - this.clock.now() + 1));
    return Math.max(ms, atLeastMs);
  }

  /** The wait after a rate limit that asked for `retryAfterMs` (see rateLimitWaitMs). */
  afterRateLimit(retryAfterMs: number): number {
    return rateLimitWaitMs(retryAfterMs, this.poll.intervalMs);
  }

  /** At the end of a cycle: whether the next runs at once. `limited`: the cycle hit a rate limit. */
  runAtOnce(limited: boolean): boolean {
    this.quick = this.changed && !limited ? this.quick + 1 : 0;
    this.changed = false;
    return this.quick > 0 && this.quick <= MAX_QUICK_CYCLES;
  }
}

/**
 * How long to wait after a rate limit: a short wait (a secondary limit's retry-after) in full; a
 * long one (the hourly budget) is probed every four poll intervals, as it may lift early (a new
 * token, a new hour).
 */
export function rateLimitWaitMs(retryAfterMs: number, pollIntervalMs: number): number {
  return retryAfterMs <= HONOURED_WAIT_MS ? retryAfterMs : Math.min(retryAfterMs, 4 * pollIntervalMs);
}
