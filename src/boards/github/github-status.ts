/** The kv namespace where a GitHub daemon publishes what `codex-monitor status` shows. */
export const GITHUB_STATUS = 'github-status';
/** The kv namespace of the last rate-limit wait (written by the client's onLimit). */
export const GITHUB_LIMIT = 'github-limit';

export interface GitHubStatus {
  repository: string;
  /** Wall-clock ms of the daemon's last refresh. */
  at: number;
  tasks: {
    issue: number;
    title: string;
    /** runnable, held, waiting, human, or why it is skipped. */
    verdict: string;
    holder: string | null;
    ledger: string | null;
    epoch: number | null;
    retries: number;
  }[];
  blocked: { issue: number; waitingOn: number[] }[];
  cycles: number[][];
}

export interface GitHubLimit {
  kind: 'primary' | 'secondary';
  retryAfterMs: number;
  resetAt?: number;
  /** When the wait began (wall-clock ms). */
  at: number;
}
