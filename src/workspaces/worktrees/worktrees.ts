/**
 * A git worktree per attempt under `<state dir>/worktrees/`, on the task's branch, started
 * from the freshly fetched base branch — or from the task's branch on the remote, so a retry
 * continues what another workstation pushed. The user's checkout, HEAD, index and branches
 * are never touched: fetches go to remote-tracking refs, and only worktrees under `root` and
 * the branches they hold are ever removed. Without a remote (the local board) the base and
 * the branch are local, and the branch is kept as the result.
 */
import { mkdirSync, realpathSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { isProcessAlive } from '../../host/process-liveness.js';
import { withWorktreeAdminLock } from './worktree-admin-lock.js';
import { UnknownWorkspaceError, WorkspaceBusyError } from './worktree-errors.js';
import {
  deleteBranch,
  fetchRefs,
  type GitContext,
  git,
  listWorktrees,
  localRefs,
  pruneWorktrees,
  removeWorktree,
} from './worktree-git.js';
import {
  metaNames,
  readMeta,
  removeMeta,
  type WorktreeMeta,
  worktreeName,
  writeMeta,
} from './worktree-meta.js';
import type {
  PreparedWorktree,
  PrepareRequest,
  WorktreeEntry,
  WorktreeState,
  WorktreesOptions,
} from './worktree-types.js';

const DEFAULT_TIMEOUT_MS = 600_000;
/** WorktreesOptions.busyWaitMs's default. */
const BUSY_WAIT_MS = 5_000;
const BUSY_POLL_MS = 50;

/** `path` with symlinks resolved in its parent (the worktree itself may be gone already). */
function canonical(path: string): string {
  try {
    return join(realpathSync(dirname(resolve(path))), basename(path));
  } catch {
    return resolve(path);
  }
}

export class Worktrees {
  readonly root: string;

  constructor(private readonly options: WorktreesOptions) {
    // git reports worktree paths resolved; so is ours, or a symlinked state dir (macOS /var)
    // would make our own worktrees look like the user's checkouts.
    mkdirSync(options.root, { recursive: true, mode: 0o700 });
    this.root = realpathSync(options.root);
  }

  private ctx(signal?: AbortSignal): GitContext {
    const { repoDir, env } = this.options;
    return { repoDir, env, signal, timeoutMs: this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS };
  }

  /** For calls that reach the remote: the credentials, asked afresh (a token may have expired). */
  private async remoteCtx(signal?: AbortSignal): Promise<GitContext> {
    const ctx = this.ctx(signal);
    return { ...ctx, env: { ...ctx.env, ...(await this.options.credentials?.()) } };
  }

  /** Fetches, then adds a worktree for this attempt on `branch` (created or reset with -B). */
  async prepare(request: PrepareRequest): Promise<PreparedWorktree> {
    const { key, branch, attempt, signal } = request;
    const { remote, baseBranch, freshRetry, owner, clock } = this.options;
    const ctx = this.ctx(signal);
    await git(ctx, ['check-ref-format', '--branch', branch]).catch((error: unknown) => {
      throw new RangeError(`${JSON.stringify(branch)} is not a valid branch name`, { cause: error });
    });
    const fetched =
      remote === null
        ? await localRefs(ctx, baseBranch, branch)
        : await fetchRefs(await this.remoteCtx(signal), remote, baseBranch, branch);
    const continued = fetched.branchSha !== null && !freshRetry;
    const startSha = continued ? fetched.branchSha! : fetched.baseSha;

    const name = worktreeName(key, attempt);
    const dir = join(this.root, name);
    await this.freeBranch(ctx, branch, dir);
    // Written before the worktree exists: a crash from here on leaves something list() sees.
    writeMeta(this.root, name, {
      key,
      attempt,
      branch,
      ownerPid: owner.pid,
      ownerPidStart: owner.pidStart,
      createdAt: clock.now(),
      state: 'active',
      keepUntil: null,
      baseSha: fetched.baseSha,
      startSha,
    });
    try {
      // Under the admin lock: another daemon's prune must not meet the half-made entry.
      await withWorktreeAdminLock(ctx, () =>
        git(ctx, ['worktree', 'add', '--quiet', '--no-track', '-B', branch, dir, startSha]),
      );
    } catch (error) {
      // Nothing half-made stays behind (an aborted add leaves a locked, partial worktree).
      await removeWorktree(this.ctx(), dir).catch(() => {});
      removeMeta(this.root, name);
      throw error;
    }
    const remoteSha = remote === null ? null : fetched.branchSha;
    return { dir, branch, baseSha: fetched.baseSha, startSha, remoteSha, continued };
  }

  /**
   * Removes a stale worktree of ours that holds `branch` (or occupies `dir`), so `-B` can move
   * the branch. Refuses when the branch is checked out outside `root` (the user's) or by a
   * worktree whose owner is another live process.
   */
  private async freeBranch(ctx: GitContext, branch: string, dir: string): Promise<void> {
    for (const worktree of await listWorktrees(ctx)) {
      if (worktree.branch !== branch && resolve(worktree.path) !== dir) continue;
      const path = resolve(worktree.path);
      if (dirname(path) !== this.root) {
        throw new WorkspaceBusyError(
          branch,
          `the checkout ${path}`,
          'Switch that checkout to another branch.',
        );
      }
      const name = basename(path);
      // Another live attempt's worktree is often one whose release has just made this task
      // claimable and that closes next (a refused verification sends its task back before its
      // worktree of the task's branch is closed): it gets a moment to end before "busy".
      if (this.busyByOther(name) && !(await this.endsSoon(name, ctx.signal))) {
        throw new WorkspaceBusyError(
          branch,
          `the worktree ${path} of process ${readMeta(this.root, name)?.ownerPid ?? '?'}`,
          'Wait until its attempt ends.',
        );
      }
      await removeWorktree(ctx, path);
      removeMeta(this.root, name);
    }
    await removeWorktree(ctx, dir); // a directory left without registration
  }

  /** The worktree `name` is in use by another process's attempt, alive. */
  private busyByOther(name: string): boolean {
    const meta = readMeta(this.root, name);
    return (
      meta !== null &&
      meta.state === 'active' &&
      !this.isOwn(meta) &&
      isProcessAlive(meta.ownerPid, meta.ownerPidStart)
    );
  }

  /** Whether another process's attempt lets go of worktree `name` within `busyWaitMs`. */
  private async endsSoon(name: string, signal: AbortSignal | undefined): Promise<boolean> {
    const { clock } = this.options;
    const until = clock.monotonic() + (this.options.busyWaitMs ?? BUSY_WAIT_MS);
    while (clock.monotonic() < until) {
      try {
        await clock.sleep(BUSY_POLL_MS, signal ?? new AbortController().signal);
      } catch {
        return false; // aborted: the attempt is stopping anyway
      }
      if (!this.busyByOther(name)) return true;
    }
    return false;
  }

  private isOwn(meta: WorktreeMeta): boolean {
    const { pid, pidStart } = this.options.owner;
    return meta.ownerPid === pid && meta.ownerPidStart === pidStart;
  }

  /**
   * Ends an attempt's worktree: removed with its local branch (kept with `keepBranch`, the
   * default without a remote: the branch is the result), or (keep) marked kept for
   * `keepFailedMs` for inspection.
   */
  async finish(
    dir: string,
    options: { keep: boolean; keepBranch?: boolean; signal?: AbortSignal },
  ): Promise<void> {
    const path = canonical(dir);
    const name = basename(path);
    const meta = dirname(path) === this.root ? readMeta(this.root, name) : null;
    if (meta === null) throw new UnknownWorkspaceError(dir, this.root);
    if (options.keep) {
      const keepUntil = this.options.clock.now() + this.options.keepFailedMs;
      writeMeta(this.root, name, { ...meta, state: 'kept', keepUntil });
      return;
    }
    await this.remove(this.ctx(options.signal), name, meta, options.keepBranch);
  }

  /** Worktree first, branch next, metadata last: a crash in between leaves it listed. */
  private async remove(
    ctx: GitContext,
    name: string,
    meta: WorktreeMeta,
    keepBranch?: boolean,
  ): Promise<void> {
    await removeWorktree(ctx, join(this.root, name));
    if (!(keepBranch ?? this.options.remote === null)) await deleteBranch(ctx, meta.branch);
    removeMeta(this.root, name);
  }

  /** Every worktree with its state, oldest first (then by name). */
  list(): WorktreeEntry[] {
    const now = this.options.clock.now();
    const entries: WorktreeEntry[] = [];
    for (const name of metaNames(this.root)) {
      const meta = readMeta(this.root, name);
      if (meta === null) continue;
      let status: WorktreeState;
      if (meta.state === 'kept') status = (meta.keepUntil ?? 0) > now ? 'kept' : 'expired';
      else status = isProcessAlive(meta.ownerPid, meta.ownerPidStart) ? 'active' : 'leftover';
      entries.push({ ...meta, name, dir: join(this.root, name), status });
    }
    return entries.sort(
      (a, b) => a.createdAt - b.createdAt || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
  }

  /**
   * Removes leftovers (owner dead) and expired kept worktrees — with `all`, kept ones too;
   * never an active one. Returns what it removed.
   */
  async prune(options: { all?: boolean; signal?: AbortSignal } = {}): Promise<WorktreeEntry[]> {
    const ctx = this.ctx(options.signal);
    const removed: WorktreeEntry[] = [];
    for (const entry of this.list()) {
      const goes =
        entry.status === 'leftover' || entry.status === 'expired' || (options.all && entry.status === 'kept');
      if (!goes) continue;
      await this.remove(ctx, entry.name, entry);
      removed.push(entry);
    }
    await pruneWorktrees(ctx);
    return removed;
  }
}
