/**
 * Workspaces as git worktrees (src/workspaces): one per attempt, on the task's branch, and the
 * branch pushed by lease when the board delivers. The daemon's only link to git.
 */
import {
  branchFor,
  changedSince,
  commitAll,
  type GitCredentials,
  normalizePrefix,
  pushBranch,
  type Worktrees,
} from '../workspaces/index.js';
import type { AttemptWorkspace, WorkRequest, WorkspaceProvider } from './workspace.js';

export interface GitWorkspacesOptions {
  worktrees: Worktrees;
  /** The remote pushed to; null: the work stays a local branch (the local board). */
  remote: string | null;
  baseBranch: string;
  branchPrefix: string;
  /** Credentials for the remote, asked afresh by every push (fetches: Worktrees' own). */
  credentials: GitCredentials;
  author?: { name: string; email: string };
}

export class GitWorkspaces implements WorkspaceProvider {
  private readonly prefix: string;

  constructor(private readonly o: GitWorkspacesOptions) {
    this.prefix = normalizePrefix(o.branchPrefix);
  }

  /**
   * The task's branch: the one earlier attempts delivered on, when it is one of ours for this
   * key (a record names it; anyone who may write refs could have written another), else a new
   * name from the key and the title.
   */
  branchOf(work: WorkRequest): string {
    const ours = `${this.prefix}${work.key}`;
    const earlier = work.branch;
    if (earlier && (earlier === ours || earlier.startsWith(`${ours}-`))) return earlier;
    return branchFor(this.prefix, work.key, work.title);
  }

  async open(work: WorkRequest, attempt: { epoch: number }, signal: AbortSignal): Promise<AttemptWorkspace> {
    const { worktrees, remote, credentials, author } = this.o;
    const prepared = await worktrees.prepare({
      key: work.key,
      branch: this.branchOf(work),
      attempt: String(attempt.epoch),
      signal,
    });
    const { dir, branch } = prepared;
    // The lease of the next push: what the remote held when prepared, then what we pushed.
    let expected = prepared.remoteSha;
    return {
      dir,
      branch,
      baseBranch: this.o.baseBranch,
      env: { CODEX_MONITOR_WORKTREE: dir, CODEX_MONITOR_BRANCH: branch },
      async commit(message, trailers, signal) {
        await commitAll(dir, { message, trailers, ...(author ? { author } : {}), signal });
        return { changed: await changedSince(dir, prepared.baseSha, { signal }) };
      },
      async push(signal) {
        if (remote === null) return { ok: true, sha: null };
        const result = await pushBranch(dir, {
          remote,
          branch,
          expectedRemoteSha: expected,
          credentials,
          signal,
        });
        if (!result.ok) return { ok: false, reason: `${result.reason}: ${result.detail}` };
        expected = result.sha;
        return result;
      },
      close: (keep) => worktrees.finish(dir, { keep }),
    };
  }
}
