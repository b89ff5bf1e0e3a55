import { performance } from 'node:perf_hooks';
import type { HistoryClock } from './model/versioned.js';

/**
 * The server's notion of time: a wall clock that honours the clock-offset knob (timestamps,
 * `Date`, rate-limit windows) and a monotonic clock for the read-lag history.
 */
export class ServerClock implements HistoryClock {
  offsetMs = 0;
  /** When not 0, the wall clock stands still at this value (knob `frozenClockMs`). */
  frozenMs = 0;
  /** Longest read lag requested so far; history is kept for at least this long. */
  #maxLagMs = 0;

  /** Wall-clock milliseconds as the server sees them. */
  now(): number {
    return (this.frozenMs || Date.now()) + this.offsetMs;
  }

  /** Wall-clock time truncated to whole seconds, the precision GitHub stores and renders. */
  nowSeconds(): number {
    return Math.floor(this.now() / 1000) * 1000;
  }

  mono(): number {
    return performance.now();
  }

  noteLag(lagMs: number): void {
    this.#maxLagMs = Math.max(this.#maxLagMs, lagMs);
  }

  retentionMs(): number {
    return Math.max(60_000, this.#maxLagMs * 2);
  }
}

/**
 * A client-supplied timestamp (`since`) at GitHub's resolution: GitHub stores whole seconds, so
 * a fractional part is dropped and `updated_at >= since` compares like with like.
 */
export function parseSeconds(value: string | null): number {
  const ms = value ? Date.parse(value) : Number.NaN;
  return Number.isNaN(ms) ? ms : Math.floor(ms / 1000) * 1000;
}

/** GitHub renders timestamps as ISO 8601 in UTC without fractional seconds. */
export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : iso(ms);
}
