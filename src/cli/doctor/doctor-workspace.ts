import type { Check } from '../../boards/github/doctor.js';
import type { GitHubAppAuth } from '../../boards/github/http/index.js';
import type { Config } from '../../config/config.js';
import { errorMessage } from '../../core/errors.js';
import { redactUrl } from '../../core/redact.js';
import { checkRepository, probePush } from '../../workspaces/index.js';
import { gitCredentialsFor } from '../open/git-credentials.js';

/**
 * The `doctor` checks of WORKSPACE=worktree on GitHub: CODEX_MONITOR_REPO_DIR is a clone of
 * GITHUB_REPOSITORY through WORKSPACE_REMOTE, and this workstation may push there with the
 * credentials the daemon will use (GIT_PUSH_WITH_TOKEN: the token through the askpass program,
 * else the user's own). The push probe writes a ref outside refs/heads and deletes it again:
 * no branch, pull request or CI run appears. Empty with WORKSPACE=none.
 */
export async function workspaceChecks(config: Config, app?: GitHubAppAuth): Promise<Check[]> {
  const ws = config.workspace;
  const repo = config.github.repository;
  if (ws.mode !== 'worktree' || !repo) return [];
  const repository = `${repo.owner}/${repo.repo}`;
  const checks: Check[] = [];
  let remoteUrl: string;
  try {
    const info = await checkRepository({ repoDir: ws.repoDir, remote: ws.remote, repository });
    remoteUrl = info.remoteUrl;
    checks.push({
      name: 'repository clone (CODEX_MONITOR_REPO_DIR)',
      ok: true,
      detail: `${info.topLevel}: its remote ${JSON.stringify(ws.remote)} is ${info.remoteUrl}, a clone of ${repository}`,
    });
  } catch (error) {
    // The error says what is wrong and what to do (not a repository, no such remote, another one).
    const detail = redactUrl(errorMessage(error));
    checks.push({ name: 'repository clone (CODEX_MONITOR_REPO_DIR)', ok: false, detail });
    return checks;
  }

  const token = ws.pushWithToken && (app !== undefined || config.github.token !== undefined);
  const source = app ? 'the GitHub App’s installation token' : 'GITHUB_TOKEN';
  const how = token ? `with ${source} (GIT_PUSH_WITH_TOKEN=true)` : 'with your own git credentials';
  const name = `push access (${ws.remote}, ${token ? (app ? 'app installation token' : 'token') : 'your git credentials'})`;
  try {
    const credentials = gitCredentialsFor(config, app);
    const probe = await probePush({ repoDir: ws.repoDir, remote: ws.remote, credentials, write: true });
    if (probe.ok) {
      checks.push({ name, ok: true, detail: `pushed and deleted a probe ref on ${remoteUrl} ${how}` });
    } else {
      const fix = token
        ? `Give ${app ? 'the app' : 'the token'} push access to ${repository} (contents: write), or set GIT_PUSH_WITH_TOKEN=false to push with your own git credentials.`
        : `Set up git credentials that may push to ${remoteUrl} (an ssh key, a credential helper), or set GIT_PUSH_WITH_TOKEN=true to push with GITHUB_TOKEN or the GitHub App.`;
      checks.push({ name, ok: false, detail: `${redactUrl(probe.detail)}. ${fix}` });
    }
  } catch (error) {
    checks.push({ name, ok: false, detail: redactUrl(errorMessage(error)) });
  }
  return checks;
}
