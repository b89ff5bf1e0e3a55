/**
 * Serialises `git worktree add` and `git worktree prune` among the processes that share a
 * repository (two daemons on one clone). git's `add` makes the worktree's admin directory
 * (.git/worktrees/<name>) and only then writes the `locked` file that keeps `prune` away; a
 * prune by another process in between deletes the half-made entry, and the add fails with
 * "could not open '.git/worktrees/<name>/gitdir' for writing". Seen in CI, two daemons on one
 * clone, one removing a worktree (and pruning) while the other added one.
 *
 * An exclusive lock file in the repository's common git directory. It is held for one git
 * command, so one older than STALE_MS was left by a crashed holder and is taken over.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runGit } from '../../host/git-runner.js';

/** Where git runs (worktree-git.ts's GitContext; declared here, which that module imports). */
interface LockContext {
  repoDir: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

const LOCK_NAME = 'codex-monitor-worktrees.lock';
const POLL_MS = 20;
const STALE_MS = 60_000;

/** The repository's common git directory (shared by its worktrees), once per repository. */
const commonDirs = new Map<string, Promise<string>>();

function commonDir(ctx: LockContext): Promise<string> {
  let dir = commonDirs.get(ctx.repoDir);
  if (!dir) {
    const run = runGit(['rev-parse', '--git-common-dir'], { cwd: ctx.repoDir, timeoutMs: ctx.timeoutMs });
    dir = run.then(({ stdout }) => {
      const out = stdout.trim();
      return isAbsolute(out) ? out : join(ctx.repoDir, out);
    });
    dir.catch(() => commonDirs.delete(ctx.repoDir));
    commonDirs.set(ctx.repoDir, dir);
  }
  return dir;
}

/** Takes the lock (waiting for another holder), or throws when `signal` aborts. */
async function acquire(path: string, token: string, signal: AbortSignal | undefined): Promise<void> {
  for (;;) {
    try {
      writeFileSync(path, token, { flag: 'wx' });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    try {
      if (Date.now() - statSync(path).mtimeMs > STALE_MS) unlinkSync(path);
    } catch {
      // Released (or taken over) meanwhile: try again.
    }
    await sleep(POLL_MS, undefined, signal ? { signal } : {});
  }
}

/** Runs `fn` (one git worktree add or prune) holding the repository's worktree admin lock. */
export async function withWorktreeAdminLock<T>(ctx: LockContext, fn: () => Promise<T>): Promise<T> {
  const path = join(await commonDir(ctx), LOCK_NAME);
  const token = `${process.pid} ${randomUUID()}\n`;
  await acquire(path, token, ctx.signal);
  try {
    return await fn();
  } finally {
    try {
      // Ours only: one held past STALE_MS may have been taken over, and is someone else's now.
      if (readFileSync(path, 'utf8') === token) unlinkSync(path);
    } catch {
      // Gone already.
    }
  }
}
