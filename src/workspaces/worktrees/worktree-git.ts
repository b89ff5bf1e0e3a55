/**
 * The git side of the Worktrees class: listing worktrees, fetching the base and the branch,
 * removing a worktree and its branch. Every call runs in the user's repository directory but
 * touches only refs/remotes/<remote>/…, our worktrees and our branches.
 */
import { rmSync } from 'node:fs';
import { GitError, runGit } from '../../host/git-runner.js';
import { withWorktreeAdminLock } from './worktree-admin-lock.js';

export interface GitContext {
  repoDir: string;
  env?: Readonly<Record<string, string>>;
  timeoutMs: number;
  signal?: AbortSignal;
}

export function git(ctx: GitContext, args: string[], okCodes?: number[]) {
  return runGit(args, {
    cwd: ctx.repoDir,
    env: ctx.env,
    timeoutMs: ctx.timeoutMs,
    signal: ctx.signal,
    okCodes,
  });
}

export interface WorktreeRecord {
  path: string;
  /** The branch checked out there (without refs/heads/), or null (detached, bare). */
  branch: string | null;
}

/** `git worktree list --porcelain`, the main checkout first. */
export async function listWorktrees(ctx: GitContext): Promise<WorktreeRecord[]> {
  const { stdout } = await git(ctx, ['worktree', 'list', '--porcelain']);
  const records: WorktreeRecord[] = [];
  for (const block of stdout.split('\n\n')) {
    const path = /^worktree (.*)$/m.exec(block)?.[1];
    if (path === undefined) continue;
    const branch = /^branch refs\/heads\/(.*)$/m.exec(block)?.[1] ?? null;
    records.push({ path, branch });
  }
  return records;
}

export interface FetchedRefs {
  baseSha: string;
  /** The branch on the remote, or null when it does not exist there. */
  branchSha: string | null;
}

/**
 * Fetches the base branch, and the task's branch when the remote has it, into
 * refs/remotes/<remote>/… — never into a local branch, so the user's branches stay as they are.
 */
export async function fetchRefs(
  ctx: GitContext,
  remote: string,
  base: string,
  branch: string,
): Promise<FetchedRefs> {
  const heads = [`refs/heads/${base}`, `refs/heads/${branch}`];
  const listed = await git(ctx, ['ls-remote', '--heads', remote, ...heads]);
  const present = new Set(
    listed.stdout
      .split('\n')
      .map((line) => line.split('\t')[1])
      .filter((ref): ref is string => ref !== undefined && heads.includes(ref)),
  );
  if (!present.has(heads[0]!)) {
    throw new GitError(
      'GIT_FAILED',
      'ls-remote',
      null,
      '',
      ctx.repoDir,
      `found no branch ${base} on ${remote}`,
    );
  }
  const tracking = (b: string) => `refs/remotes/${remote}/${b}`;
  const refspecs = [...present].map((ref) => `+${ref}:${tracking(ref.slice('refs/heads/'.length))}`);
  await git(ctx, ['fetch', '--no-tags', '--quiet', remote, ...refspecs]);
  const wanted = [tracking(base), ...(present.has(heads[1]!) ? [tracking(branch)] : [])];
  const shas = (await git(ctx, ['rev-parse', ...wanted])).stdout.trim().split('\n');
  return { baseSha: shas[0]!, branchSha: shas[1] ?? null };
}

/** The same for a repository without a remote: the base and the branch as local branches. */
export async function localRefs(ctx: GitContext, base: string, branch: string): Promise<FetchedRefs> {
  const sha = async (b: string) =>
    (
      await git(ctx, ['rev-parse', '--verify', '--quiet', `refs/heads/${b}^{commit}`], [0, 1])
    ).stdout.trim() || null;
  const baseSha = await sha(base);
  if (baseSha === null) {
    throw new GitError('GIT_FAILED', 'rev-parse', 1, '', ctx.repoDir, `found no local branch ${base}`);
  }
  return { baseSha, branchSha: await sha(branch) };
}

/** Removes the worktree at `path` (changes in it are discarded), or its leftover directory. */
export async function removeWorktree(ctx: GitContext, path: string): Promise<void> {
  try {
    // Twice --force: also a locked worktree (an interrupted `worktree add` leaves one locked).
    await git(ctx, ['worktree', 'remove', '--force', '--force', path]);
  } catch (error) {
    if (!(error instanceof GitError) || error.code !== 'GIT_FAILED') throw error;
    // Not a registered worktree (its add never finished): a plain directory of ours.
    rmSync(path, { recursive: true, force: true });
  }
  await pruneWorktrees(ctx);
}

/** `git worktree prune`, never while another process of ours is adding a worktree. */
export function pruneWorktrees(ctx: GitContext): Promise<unknown> {
  return withWorktreeAdminLock(ctx, () => git(ctx, ['worktree', 'prune']));
}

/** Deletes the local branch unless some worktree (the user's included) has it checked out. */
export async function deleteBranch(ctx: GitContext, branch: string): Promise<void> {
  const holders = await listWorktrees(ctx);
  if (holders.some((w) => w.branch === branch)) return;
  await git(ctx, ['branch', '--quiet', '-D', '--', branch], [0, 1]); // 1: already gone
}
