const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/;

export const DURATION_HINT = 'use seconds (30) or a number with a unit: 500ms, 2s, 5m, 1h';

/**
 * Reads a DAG duration: a plain number means seconds (as in the original files), a string
 * may carry a unit. Returns whole milliseconds, or the reason it is not a duration.
 */
export function parseDuration(value: unknown): { ms: number } | { problem: string } {
  let ms: number | undefined;
  if (typeof value === 'number') {
    if (Number.isFinite(value) && value >= 0) ms = value * 1_000;
  } else if (typeof value === 'string') {
    const match = DURATION.exec(value.trim());
    if (match) ms = Number(match[1]) * UNIT_MS[(match[2] ?? 's') as keyof typeof UNIT_MS];
  } else {
    return { problem: `expected a duration, got ${describeValue(value)}; ${DURATION_HINT}` };
  }
  if (ms === undefined) return { problem: `bad duration ${JSON.stringify(value)}; ${DURATION_HINT}` };
  return { ms: Math.round(ms) };
}

/** How a value reads in a message: the value itself for scalars, its shape for the rest. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `${JSON.stringify(value)} (a string)`;
  return `${String(value)} (a ${typeof value})`;
}
