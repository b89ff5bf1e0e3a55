import { join } from 'node:path';
import type { GitHubAppAuth } from '../../boards/github/http/index.js';
import type { Config } from '../../config/config.js';
import type { Clock } from '../../core/clock.js';
import { InputError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { OwnerIdentity } from '../../core/task.js';
import { GitWorkspaces } from '../../daemon/git-workspaces.js';
import {
  checkRepository,
  type GitCredentials,
  GitError,
  probePush,
  RepositoryCheckError,
  runGit,
  Worktrees,
} from '../../workspaces/index.js';
import { gitCredentialsFor } from './git-credentials.js';

/**
 * The daemon's workspaces when WORKSPACE=worktree: checks that the repository directory is a
 * clone of GITHUB_REPOSITORY (a clear error naming what is wrong), finds the base branch,
 * prunes what a crashed daemon left under `<state dir>/worktrees`. Undefined for WORKSPACE=none.
 */
export async function openWorkspaces(
  config: Config,
  /** `app`: the GitHub App's auth (openGitHubAuth), shared with the REST clients. */
  deps: { clock: Clock; logger: Logger; owner: OwnerIdentity; app?: GitHubAppAuth },
): Promise<GitWorkspaces | undefined> {
  const ws = config.workspace;
  if (ws.mode !== 'worktree') return undefined;
  const repository = config.github.repository;
  // On the local board the work stays a local branch of the repository directory.
  const remote = repository ? ws.remote : null;
  if (repository) {
    await checkRepository({
      repoDir: ws.repoDir,
      remote: ws.remote,
      repository: `${repository.owner}/${repository.repo}`,
    });
  } else {
    await checkLocalRepository(ws.repoDir);
  }
  const credentials = gitCredentialsFor(config, deps.app);
  if (remote !== null) {
    // A dry run: a hosted remote refuses it without push access (`doctor` pushes a probe ref).
    const probe = await probePush({ repoDir: ws.repoDir, remote, credentials });
    if (!probe.ok) {
      throw new InputError(
        `Cannot push to the remote ${JSON.stringify(remote)} of ${ws.repoDir}: ${probe.detail}. ` +
          'Give this user push access (or set GIT_PUSH_WITH_TOKEN=true to push with GITHUB_TOKEN or the GitHub App), or set WORKSPACE=none.',
      );
    }
  }
  const baseBranch = ws.baseBranch ?? (await defaultBranch(ws.repoDir, remote, credentials));
  const worktrees = new Worktrees({
    repoDir: ws.repoDir,
    root: join(config.stateDir, 'worktrees'),
    remote,
    baseBranch,
    freshRetry: ws.freshRetry,
    keepFailedMs: ws.keepFailedMs,
    clock: deps.clock,
    owner: { pid: deps.owner.pid, pidStart: deps.owner.pidStart },
    credentials,
  });
  const pruned = await worktrees.prune();
  if (pruned.length > 0) {
    deps.logger.info(
      { worktrees: pruned.map((w) => w.name) },
      'removed worktrees a stopped daemon left behind',
    );
  }
  return new GitWorkspaces({
    worktrees,
    remote,
    baseBranch,
    branchPrefix: ws.branchPrefix,
    credentials,
    ...(ws.commitAuthor ? { author: ws.commitAuthor } : {}),
  });
}

/** The local board's worktrees are made in the repository directory: it must be one. */
async function checkLocalRepository(repoDir: string): Promise<void> {
  try {
    await runGit(['rev-parse', '--git-dir'], { cwd: repoDir, timeoutMs: 30_000 });
  } catch (error) {
    if (error instanceof GitError && error.code !== 'GIT_FAILED') throw error;
    throw new RepositoryCheckError(
      'REPO_NOT_GIT',
      `CODEX_MONITOR_REPO_DIR ${repoDir} is not a git repository: with WORKSPACE=worktree, local tasks ` +
        'with `workspace: true` run in worktrees of it. Point CODEX_MONITOR_REPO_DIR at a git repository ' +
        '(or start the daemon inside one), or set WORKSPACE=none.',
      { cause: error },
    );
  }
}

/** The remote's default branch (what its HEAD names), or the branch checked out locally. */
async function defaultBranch(
  repoDir: string,
  remote: string | null,
  credentials: GitCredentials,
): Promise<string> {
  const timeoutMs = 60_000;
  if (remote === null) {
    const { stdout } = await runGit(['symbolic-ref', '--short', 'HEAD'], { cwd: repoDir, timeoutMs });
    return stdout.trim();
  }
  const { stdout } = await runGit(['ls-remote', '--symref', remote, 'HEAD'], {
    cwd: repoDir,
    env: await credentials(),
    timeoutMs,
  });
  const head = /^ref: refs\/heads\/(\S+)\tHEAD$/m.exec(stdout);
  if (!head) {
    throw new InputError(
      `Cannot tell the default branch of the remote ${JSON.stringify(remote)} of ${repoDir}: set WORKSPACE_BASE_BRANCH.`,
    );
  }
  return head[1]!;
}
