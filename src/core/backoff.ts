export interface BackoffPolicy {
  baseMs: number;
  maxMs: number;
}

/**
 * Delay before attempt `failures + 1`, after `failures` failed attempts (failures >= 1):
 * exponential, capped, with "equal jitter" — half fixed, half random — so a burst of
 * failures spreads out but never retries sooner than half the nominal delay.
 */
export function backoffDelayMs(failures: number, policy: BackoffPolicy, random: () => number = Math.random) {
  if (failures <= 0) return 0;
  const nominal = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(failures - 1, 30));
  const half = nominal / 2;
  return Math.round(half + random() * half);
}
