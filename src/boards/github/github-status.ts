import type { Eligibility, IssueStore } from './issues/index.js';
import type { LedgerProblem, LedgerView } from './ledger/index.js';

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
    retryCount: number;
    /**
     * The issue's pull request, as its ledger chain records it (a delivered attempt's).
     * Absent in what a daemon from before pull requests published.
     */
    pr?: number | null;
    /** That pull request's state as the issues list last showed it (null: not seen yet). */
    prState?: 'open' | 'closed' | 'merged' | null;
  }[];
  /**
   * Issues waiting on open dependencies; `pulls`: those of the dependencies whose chain has a
   * pull request (merging it closes the dependency: "waiting for PR #M").
   */
  blocked: { issue: number; waitingOn: number[]; pulls?: { issue: number; pr: number }[] }[];
  cycles: number[][];
  /** Ledger refs skipped as unusable: a human repairs or deletes them. */
  problems?: LedgerProblem[];
}

export interface GitHubLimit {
  kind: 'primary' | 'secondary';
  retryAfterMs: number;
  resetAt?: number;
  /** When the wait began (wall-clock ms). */
  at: number;
}

/** What a daemon publishes after a refresh: each open task's verdict beside its ledger state. */
export function githubStatus(
  repository: string,
  at: number,
  view: LedgerView,
  e: Eligibility,
  issues: Pick<IssueStore, 'get' | 'pullState'>,
): GitHubStatus {
  const tasks = [...e.verdicts].slice(0, 500).map(([issue, verdict]) => {
    const chain = view.tasks.get(issue);
    return {
      issue,
      title: issues.get(issue)?.title ?? '',
      verdict,
      holder: chain?.holder ?? null,
      ledger: chain?.state ?? null,
      epoch: chain?.epoch ?? null,
      retryCount: chain?.retries ?? 0,
      pr: chain?.record?.pr ?? null,
      prState: chain?.record?.pr ? issues.pullState(chain.record.pr) : null,
    };
  });
  const blocked = e.blocked.map((b) => {
    const pulls = b.waitingOn.flatMap((issue) => {
      const pr = view.tasks.get(issue)?.record?.pr;
      return pr === undefined ? [] : [{ issue, pr }];
    });
    return pulls.length > 0 ? { ...b, pulls } : b;
  });
  const problems = (view.problems ?? []).slice(0, 50).map((p) => ({ ...p }));
  return { repository, at, tasks, blocked, cycles: e.cycles, problems };
}
