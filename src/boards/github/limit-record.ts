/**
 * A rate-limit wait, kept in the kv table (namespace GITHUB_LIMIT, key `owner/repo`) by the
 * client's onLimit — of a daemon, or of `status` itself — so `codex-monitor status` can say
 * how long GitHub makes this workstation wait.
 */
export const GITHUB_LIMIT = 'github-limit';

export interface GitHubLimit {
  kind: 'primary' | 'secondary';
  retryAfterMs: number;
  resetAt?: number;
  /** When the wait began (wall-clock ms). */
  at: number;
}
