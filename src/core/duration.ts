/**
 * The one reader of human durations ("30", "500ms", "2s", "5m", "1h", "7d"), shared by the
 * DAG files and the command line so that a value accepted in one is accepted in the other.
 */

/**
 * Node's timer limit: setTimeout with a longer delay fires after 1 ms instead (with a
 * TimeoutOverflowWarning), turning a "very long" wait into a busy loop. Every duration that
 * ends up in a timer is bounded by this.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
type Unit = keyof typeof UNIT_MS;
const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?$/;

export const DURATION_HINT = 'use seconds (30) or a number with a unit: 500ms, 2s, 5m, 1h';

export interface DurationOptions {
  /** Largest value accepted, in ms (default MAX_TIMER_MS: the value may end up in a timer). */
  maxMs?: number;
  /** Whether a number without a unit is accepted (as seconds). Default true. */
  bareSeconds?: boolean;
}

/**
 * Reads a duration: a plain number means seconds (as in the original DAG files), a string may
 * carry a unit. Returns whole milliseconds, or the reason it is not an acceptable duration.
 */
export function parseDuration(
  value: unknown,
  options: DurationOptions = {},
): { ms: number } | { problem: string } {
  const maxMs = options.maxMs ?? MAX_TIMER_MS;
  let ms: number | undefined;
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0 && options.bareSeconds !== false) ms = value * 1_000;
  } else if (typeof value === 'string') {
    const match = DURATION.exec(value.trim());
    if (match && (match[2] !== undefined || options.bareSeconds !== false)) {
      ms = Number(match[1]) * UNIT_MS[(match[2] ?? 's') as Unit];
    }
  } else {
    return { problem: `expected a duration, got ${describeValue(value)}; ${DURATION_HINT}` };
  }
  if (ms === undefined || !Number.isFinite(ms)) {
    return { problem: `bad duration ${JSON.stringify(value)}; ${DURATION_HINT}` };
  }
  if (ms > maxMs) {
    return {
      problem: `duration ${JSON.stringify(value)} is too long: at most ${describeMs(maxMs)} is allowed`,
    };
  }
  return { ms: Math.round(ms) };
}

/** "2147483647 ms (about 24.9 days)": a bound as a reader can check it. */
export function describeMs(ms: number): string {
  const days = ms / UNIT_MS.d;
  if (days >= 1) return `${ms} ms (about ${Number(days.toFixed(1))} days)`;
  const hours = ms / UNIT_MS.h;
  if (hours >= 1) return `${ms} ms (about ${Number(hours.toFixed(1))} hours)`;
  return `${ms} ms`;
}

/** How a value reads in a message: the value itself for scalars, its shape for the rest. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `${JSON.stringify(value)} (a string)`;
  return `${String(value)} (a ${typeof value})`;
}
