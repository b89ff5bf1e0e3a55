/**
 * Who the daemon is on GitHub: a token (a user's, sharing that user's 5,000 requests an hour
 * with everything else the user runs) or a GitHub App installation (a budget of its own and a
 * bot identity). Opened once per process, before the board and the workspaces, so that the
 * REST clients and git share one installation token, and a wrong key or installation id stops
 * the start with an error that names the setting.
 */
import type { Clock } from '../../core/clock.js';
import { createGitHubAppAuth, type GitHubAppAuth, type GitHubClientAuth } from './http/index.js';

export type GitHubIdentity =
  | { kind: 'token' }
  | {
      kind: 'app';
      appId: string;
      installationId: number;
      slug: string;
      /** The bot user the installation acts as: the author of its comments. */
      botLogin: string;
    };

export interface GitHubAuth {
  /** What createGitHubClient takes. */
  client: GitHubClientAuth;
  /** The app's auth (one token cache for REST and git), when running as an app. */
  app: GitHubAppAuth | undefined;
  identity: GitHubIdentity;
}

/** What the authentication reads of the configuration (Config satisfies it). */
export interface GitHubAuthConfig {
  github: {
    token: string | undefined;
    app: { appId: string; privateKey: string; installationId: number } | undefined;
    apiUrl: string;
  };
}

/**
 * The configured authentication. For an app it asks GitHub for the app's slug (the JWT) and
 * an installation token: both fail here, at start-up, when the key, id or installation is wrong.
 */
export async function openGitHubAuth(config: GitHubAuthConfig, deps: { clock: Clock }): Promise<GitHubAuth> {
  const { token, app: credentials, apiUrl } = config.github;
  if (!credentials) {
    if (token === undefined) throw new Error('openGitHubAuth needs GITHUB_TOKEN or a GitHub App');
    return { client: { token }, app: undefined, identity: { kind: 'token' } };
  }
  const app = createGitHubAppAuth({ credentials, baseUrl: apiUrl, clock: deps.clock });
  const { slug } = await app.describe();
  await app.installationToken();
  return {
    client: { app },
    app,
    identity: {
      kind: 'app',
      appId: credentials.appId,
      installationId: credentials.installationId,
      slug,
      botLogin: botLogin(slug),
    },
  };
}

/** GitHub's name for an app's bot user. */
export function botLogin(slug: string): string {
  return `${slug}[bot]`;
}

/**
 * The logins whose state comments count whatever their association: the configured ones, and
 * the app's own bot (GitHub reports a bot's association as NONE, which no trust rule admits).
 */
export function trustedLogins(configured: readonly string[], identity: GitHubIdentity | undefined): string[] {
  if (identity?.kind !== 'app') return [...configured];
  const bot = identity.botLogin.toLowerCase();
  return configured.some((l) => l.toLowerCase() === bot)
    ? [...configured]
    : [...configured, identity.botLogin];
}
