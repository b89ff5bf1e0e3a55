/**
 * How the Jira board delivers attempts' work: with WORKSPACE=worktree each attempt works in a
 * worktree of CODEX_MONITOR_REPO_DIR; with GITHUB_REPOSITORY (the code's repository, its
 * GITHUB_TOKEN or GitHub App) the branch is pushed there and its pull request opened or updated
 * (PR_DRAFT, PR_LABELS) — the GitHub board's own PullRequests, so never two for one branch.
 * Without GITHUB_REPOSITORY the work stays a local branch of the repository directory (the
 * workspaces have no remote then: nothing is pushed), as on the local board.
 */
import type { GitHubAuth } from '../../boards/github/index.js';
import type { JiraDelivery } from '../../boards/jira/index.js';
import type { Config } from '../../config/config.js';
import type { Clock } from '../../core/clock.js';
import { InputError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import type { SharedState } from '../../state/shared-state.js';

/** Whether Jira attempts end in pull requests: worktrees, and a GitHub repository for the code. */
export function jiraDeliversPulls(config: Config): boolean {
  return config.workspace.mode === 'worktree' && config.github.repository !== undefined;
}

/** Undefined for WORKSPACE=none: attempts run in an empty directory and deliver nothing. */
export async function openJiraDelivery(
  config: Config,
  store: SharedState,
  deps: { clock: Clock; logger: Logger; auth?: GitHubAuth },
): Promise<JiraDelivery | undefined> {
  if (config.workspace.mode !== 'worktree') return undefined;
  const pullRequests = config.workspace.pr;
  const repository = config.github.repository;
  if (!repository) return { pulls: null, pullRequests };
  const { owner, repo } = repository;
  const auth = deps.auth?.client ?? (config.github.token ? { token: config.github.token } : undefined);
  if (!auth) {
    throw new InputError(
      `Jira tasks are delivered as pull requests on ${owner}/${repo} (WORKSPACE=worktree, GITHUB_REPOSITORY), which needs credentials: set GITHUB_TOKEN (or a GitHub App), or unset GITHUB_REPOSITORY to keep the work on local branches.`,
    );
  }
  const [{ createGitHubClient }, { PullRequests, withdrawPull }] = await Promise.all([
    import('../../boards/github/http/index.js'),
    import('../../boards/github/pulls/index.js'),
  ]);
  const { clock, logger } = deps;
  const client = createGitHubClient({
    baseUrl: config.github.apiUrl,
    ...auth,
    etags: store.kv,
    logger,
    pacing: config.github.paceWrites,
  });
  const pulls = new PullRequests({ client, owner, repo, logger, clock });
  return {
    pulls,
    pullRequests,
    withdraw: (pr) => withdrawPull({ client, owner, repo, pulls }, pr),
  };
}
