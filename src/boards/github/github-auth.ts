/**
 * Who the daemon is on GitHub: a token (a user's, sharing that user's 5,000 requests an hour
 * with everything else the user runs) or a GitHub App installation (a budget of its own and a
 * bot identity). Opened once per process, before the board and the workspaces, so that the
 * REST clients and git share one installation token. Opening asks GitHub nothing: the app's
 * slug and first token come with the first request (the board's registration), where an
 * outage is retried and a wrong key or installation id stops the start, naming the setting.
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
  /** Who this is; for an app it asks GitHub (`GET /app`, once). */
  identity(): Promise<GitHubIdentity>;
}

/** What the authentication reads of the configuration (Config satisfies it). */
export interface GitHubAuthConfig {
  github: {
    token: string | undefined;
    app: { appId: string; privateKey: string; installationId: number } | undefined;
    apiUrl: string;
  };
}

/** The configured authentication: GITHUB_TOKEN, or the GitHub App (GITHUB_APP_*). */
export function openGitHubAuth(config: GitHubAuthConfig, deps: { clock: Clock }): GitHubAuth {
  const { token, app: credentials, apiUrl } = config.github;
  if (!credentials) {
    if (token === undefined) throw new Error('openGitHubAuth needs GITHUB_TOKEN or a GitHub App');
    return { client: { token }, app: undefined, identity: async () => ({ kind: 'token' }) };
  }
  const app = createGitHubAppAuth({ credentials, baseUrl: apiUrl, clock: deps.clock });
  return {
    client: { app },
    app,
    identity: async () => {
      const { slug } = await app.describe();
      return {
        kind: 'app',
        appId: credentials.appId,
        installationId: credentials.installationId,
        slug,
        botLogin: app.botLogin ?? `${slug}[bot]`,
      };
    },
  };
}

/**
 * Whose state comments count: the trusted associations, the configured logins whatever their
 * association, and the app's own bot once known (GitHub reports a bot's association as NONE,
 * which no trust rule admits). `logins` is read anew at every scan: the bot's login arrives
 * with the first request, before anything is read.
 */
export function stateCommentTrust(
  associations: readonly string[],
  configured: readonly string[],
  app: { readonly botLogin: string | undefined } | undefined,
): { associations: readonly string[]; readonly logins: string[] } {
  return {
    associations,
    get logins(): string[] {
      const bot = app?.botLogin;
      if (bot === undefined || configured.some((l) => l.toLowerCase() === bot.toLowerCase()))
        return [...configured];
      return [...configured, bot];
    },
  };
}
