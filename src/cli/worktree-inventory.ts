import { existsSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../config/config.js';
import type { Clock } from '../core/clock.js';
import { InputError } from '../core/errors.js';
import { currentOwner } from '../state/open-state.js';
import { runGit, type WorktreeEntry, Worktrees } from '../workspaces/index.js';

/** Where the daemons of this state directory keep their attempts' worktrees. */
export function worktreesRoot(config: Config): string {
  return join(config.stateDir, 'worktrees');
}

/**
 * The worktrees of this state directory, opened by this CLI process to list or prune them (not
 * to create any: the base branch is never used). Undefined when there is no worktree directory.
 * A worktree counts as active while the daemon that made it runs, so a prune here never
 * removes a live daemon's. The remote is as the daemon has it: on the local board (no GitHub
 * repository) a pruned worktree's branch stays, it is the task's result.
 */
export function openWorktreeInventory(config: Config, clock: Clock): Worktrees | undefined {
  const root = worktreesRoot(config);
  if (!existsSync(root)) return undefined;
  const self = currentOwner(config.ownerId);
  const ws = config.workspace;
  return new Worktrees({
    repoDir: ws.repoDir,
    root,
    remote: config.github.repository ? ws.remote : null,
    baseBranch: ws.baseBranch ?? 'HEAD',
    freshRetry: ws.freshRetry,
    keepFailedMs: ws.keepFailedMs,
    clock,
    owner: { pid: self.pid, pidStart: self.pidStart },
  });
}

/** git's common directory of `dir` (the repository a worktree belongs to), resolved. */
async function commonDir(dir: string): Promise<string> {
  const { stdout } = await runGit(['rev-parse', '--path-format=absolute', '--git-common-dir'], {
    cwd: dir,
    timeoutMs: 30_000,
  });
  return realpathSync(resolve(dir, stdout.trim()));
}

/**
 * Refuses to prune from another repository than the one the worktrees belong to: removing
 * runs git in CODEX_MONITOR_REPO_DIR, and its branch deletion would hit a namesake branch of
 * an unrelated repository (the CLI run from another folder than the daemon).
 */
export async function checkOwningRepository(
  repoDir: string,
  entries: readonly WorktreeEntry[],
): Promise<void> {
  let own: string;
  try {
    own = await commonDir(repoDir);
  } catch {
    throw new InputError(
      `CODEX_MONITOR_REPO_DIR ${JSON.stringify(repoDir)} is not a git repository: nothing was pruned. ` +
        'Run the command where the daemon runs, or set CODEX_MONITOR_REPO_DIR to its repository.',
    );
  }
  for (const entry of entries) {
    if (!existsSync(entry.dir)) continue; // a crash before `worktree add`: nothing of git's yet
    const theirs = await commonDir(entry.dir).catch(() => null);
    if (theirs !== null && theirs !== own) {
      throw new InputError(
        `The worktree ${entry.dir} belongs to the repository ${theirs}, not to CODEX_MONITOR_REPO_DIR ` +
          `${JSON.stringify(repoDir)} (${own}): nothing was pruned. Run the command where the daemon runs, ` +
          'or set CODEX_MONITOR_REPO_DIR to its repository.',
      );
    }
  }
}
