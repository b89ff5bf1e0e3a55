/**
 * GitHub's rate limits read from an answer: whether a 403/429 is a limit (primary: the hourly
 * budget; secondary: bursts) and how long to wait. The one classification every caller uses.
 */
export type RateLimitKind = 'primary' | 'secondary';

export type ResponseHeaders = Record<string, string | number | undefined>;

export interface RateLimitInfo {
  kind: RateLimitKind;
  retryAfterMs: number;
  resetAt?: number;
}

/**
 * Whether a 403/429 is a rate limit, and how long to wait: `retry-after` first, then
 * `x-ratelimit-reset` when the budget is exhausted, else a minute (GitHub's guidance).
 */
export function rateLimitInfo(
  status: number,
  headers: ResponseHeaders,
  message: string,
  now: number,
): RateLimitInfo | null {
  if (status !== 403 && status !== 429) return null;
  const exhausted = String(headers['x-ratelimit-remaining']) === '0';
  const secondary = /secondary rate|abuse/i.test(message);
  const retryAfter = Number(headers['retry-after']);
  const hasRetryAfter = headers['retry-after'] !== undefined && Number.isFinite(retryAfter);
  if (!exhausted && !secondary && !hasRetryAfter && status === 403) return null;
  const kind: RateLimitKind = exhausted && !secondary ? 'primary' : 'secondary';
  if (hasRetryAfter) return { kind, retryAfterMs: retryAfter * 1000, resetAt: now + retryAfter * 1000 };
  const reset = Number(headers['x-ratelimit-reset']);
  if (exhausted && Number.isFinite(reset) && reset > 0) {
    return { kind, retryAfterMs: Math.max(reset * 1000 - now, 0) + 1000, resetAt: reset * 1000 };
  }
  return { kind, retryAfterMs: 60_000 };
}
