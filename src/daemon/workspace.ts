/**
 * Where an attempt works, and how its work is delivered: the daemon's side of workspaces.
 * A board that can deliver (GitHub: a pull request) says what an attempt on a task works on
 * (`BoardTask.work`); the daemon prepares the workspace, runs the executor in it, commits what
 * the agent left, and asks the board to deliver — which fences before anything leaves the machine.
 */

/** What a task's work is named after: a key (the issue number), and a branch earlier attempts used. */
export interface WorkRequest {
  /** Short, stable and safe in a branch name: the issue number, or the local task id. */
  key: string;
  title: string;
  /** How commits refer to the task (`#12`); null: by title only. */
  reference: string | null;
  /** The branch earlier attempts delivered on (from the board's records), if any. */
  branch: string | null;
}

/** An attempt's working tree, prepared before the executor runs and closed after the release. */
export interface AttemptWorkspace {
  readonly dir: string;
  readonly branch: string;
  /** The branch the work is based on (and pull requests target). */
  readonly baseBranch: string;
  /** Told to the executor (CODEX_MONITOR_WORKTREE, CODEX_MONITOR_BRANCH). */
  readonly env: Readonly<Record<string, string>>;
  /** Commits what the agent left uncommitted; whether the branch now differs from its base. */
  commit(
    message: string,
    trailers: Record<string, string>,
    signal: AbortSignal,
  ): Promise<{ changed: boolean }>;
  /** Pushes the branch by lease: refused if anyone moved it since it was prepared or last pushed. */
  push(signal: AbortSignal): Promise<{ ok: true; sha: string | null } | { ok: false; reason: string }>;
  /** Removes the worktree, or keeps it a while for inspection (a failed attempt's). */
  close(keep: boolean): Promise<void>;
}

export interface WorkspaceProvider {
  open(work: WorkRequest, attempt: { epoch: number }, signal: AbortSignal): Promise<AttemptWorkspace>;
}

/** What a delivered attempt produced; recorded with its release. */
export interface DeliveredWork {
  branch: string;
  /** false: the branch is still its base — nothing pushed, no pull request ("complete, no changes"). */
  changed: boolean;
  /** The sha pushed (null: the work stays local, as on the local board). */
  pushedSha: string | null;
  pr: { number: number; url: string; created: boolean } | null;
}

export type DeliveryResult =
  | { kind: 'delivered'; work: DeliveredWork }
  /** The claim is no longer ours: nothing was pushed. */
  | { kind: 'fenced'; reason: string }
  /** Delivery failed (push refused, pull request not opened): the attempt failed. */
  | { kind: 'failed'; error: string };
