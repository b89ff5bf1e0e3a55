import { join } from 'node:path';
import type { GitHubAppAuth } from '../../boards/github/http/index.js';
import type { Config } from '../../config/config.js';
import {
  ensureAskpass,
  type GitCredentials,
  tokenGitCredentials,
  userGitCredentials,
} from '../../workspaces/index.js';

/**
 * The credentials git gets for the remote. GIT_PUSH_WITH_TOKEN=true: GITHUB_TOKEN, or with a
 * GitHub App its installation token — from the same auth instance as the REST clients, so one
 * token is cached and refreshed for both, and every git call asks for it afresh (it expires
 * hourly). Otherwise the user's own git credentials. Never on a command line or in a URL: the
 * askpass program in the state directory reads it from git's environment.
 */
export function gitCredentialsFor(config: Config, app: GitHubAppAuth | undefined): GitCredentials {
  if (!config.workspace.pushWithToken) return userGitCredentials;
  const askpass = ensureAskpass(join(config.stateDir, 'git'));
  if (app) return tokenGitCredentials(async () => (await app.installationToken()).token, askpass);
  const token = config.github.token;
  return token === undefined ? userGitCredentials : tokenGitCredentials(async () => token, askpass);
}
