/** The options and results of the Worktrees class. */
import type { Clock } from '../../core/clock.js';
import type { GitCredentials } from '../credentials.js';
import type { WorktreeMeta } from './worktree-meta.js';

export interface WorktreesOptions {
  /** The user's clone (CODEX_MONITOR_REPO_DIR). */
  repoDir: string;
  /** Where worktrees live: `<state dir>/worktrees`. */
  root: string;
  /**
   * The remote to fetch from, or null for a repository without one (the local board): the
   * base and the task's branch are then local branches, and the branch — the result — is kept.
   */
  remote: string | null;
  /** The default branch worktrees start from. */
  baseBranch: string;
  /** true: a retry starts again from the base instead of continuing the remote branch. */
  freshRetry: boolean;
  /** How long a failed attempt's worktree is kept for inspection. */
  keepFailedMs: number;
  /**
   * How long a branch held by another live process's attempt may take to be let go of before it
   * is refused as busy (default 5 s): that attempt is usually closing its worktree right now.
   */
  busyWaitMs?: number;
  clock: Clock;
  /** The process that owns the worktrees this instance creates (the daemon). */
  owner: { pid: number; pidStart: number | null };
  /** Extra environment for every git call (an identity, a HOME in tests). */
  env?: Readonly<Record<string, string>>;
  /**
   * The credentials, asked afresh for each call that reaches the remote, and only for those: never for a local
   * command that may run a hook from the agent's branch (`worktree add` runs post-checkout).
   */
  credentials?: GitCredentials;
  /** Bound on each git call (a fetch of a large repository takes a while). Default 10 min. */
  timeoutMs?: number;
}

export interface PrepareRequest {
  /** Issue number or task id. */
  key: string;
  branch: string;
  /** The attempt's label (epoch, attempt id): one directory per attempt. */
  attempt: string;
  signal?: AbortSignal;
}

export interface PreparedWorktree {
  dir: string;
  branch: string;
  /** The base branch's commit on the remote, as just fetched (local: the local branch's). */
  baseSha: string;
  /** Where the branch was started: the remote branch (continued) or the base. */
  startSha: string;
  /** The branch on the remote when fetched (null: absent, or no remote) — the lease for the first push. */
  remoteSha: string | null;
  /** true when the branch continues the branch of an earlier attempt (remote, or local without one). */
  continued: boolean;
}

export type WorktreeState = 'active' | 'kept' | 'leftover' | 'expired';

export interface WorktreeEntry extends WorktreeMeta {
  name: string;
  dir: string;
  /** active: its owner runs; kept: until keepUntil; leftover: its owner died; expired: kept past keepUntil. */
  status: WorktreeState;
}
