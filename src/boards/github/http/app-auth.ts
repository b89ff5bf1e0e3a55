/**
 * GitHub App authentication: the app signs a JWT with its private key and trades it for an
 * installation token, which acts as the app's bot user on the installation's own rate budget
 * (5,000–12,500 requests an hour, shared with nothing a person runs). @octokit/auth-app does
 * the signing, the trade and the caching; this module makes one instance of it serve every
 * Octokit client of the process and git (one token, one cache), refreshes the token a margin
 * before it expires (timed on the monotonic clock: a skewed wall clock must not make every
 * request trade anew), learns the app's slug (its bot's login) before the first request, and
 * turns a failure into an error that says which setting to check (app-auth-errors.ts).
 */
import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import type { Clock } from '../../../core/clock.js';
import { appAuthFailure } from './app-auth-errors.js';

/** What identifies the app and its installation (GITHUB_APP_*). */
export interface GitHubAppCredentials {
  appId: string;
  /** The app's private key, PEM. A secret: never logged, never in an agent's environment. */
  privateKey: string;
  installationId: number;
}

/** An installation token and when GitHub will stop accepting it. */
export interface InstallationToken {
  token: string;
  /** ISO 8601, from GitHub's `expires_at`. */
  expiresAt: string;
}

export interface GitHubAppAuth {
  readonly appId: string;
  readonly installationId: number;
  /** The installation token: cached, traded anew `refreshMarginMs` before it expires. */
  installationToken(): Promise<InstallationToken>;
  /** The app as GitHub describes it (`GET /app` with the JWT), asked once. */
  describe(): Promise<AppDescription>;
  /**
   * The app's bot user (`<slug>[bot]`), known once `describe` has answered — which every
   * client request awaits first, so nothing the board reads comes before it.
   */
  readonly botLogin: string | undefined;
  /** Octokit's `authStrategy`: every client built with it shares this instance's token. */
  readonly authStrategy: () => unknown;
}

export interface AppDescription {
  slug: string;
  name: string;
}

export interface GitHubAppAuthOptions {
  credentials: GitHubAppCredentials;
  baseUrl: string;
  clock: Clock;
  userAgent?: string;
  /**
   * How long before its expiry a token is replaced (default 10 min): longer than the longest
   * git call (a push may run 5 min), so a token handed to git never expires under it.
   */
  refreshMarginMs?: number;
}

const DEFAULT_MARGIN_MS = 10 * 60_000;
/** GitHub's installation tokens live an hour; a later `expires_at` means our clock is behind. */
const MAX_TOKEN_LIFE_MS = 3_600_000;
/** The app's own endpoints take the JWT, every other one the installation token. */
const APP_ROUTE = /^\/app(\/|$)/;

type Hook = (request: unknown, route: unknown, parameters?: unknown) => Promise<unknown>;
interface RequestLike {
  endpoint: { merge(route: unknown, parameters?: unknown): { url: string; baseUrl?: string } };
}

export function createGitHubAppAuth(options: GitHubAppAuthOptions): GitHubAppAuth {
  const { credentials, baseUrl, clock } = options;
  const margin = options.refreshMarginMs ?? DEFAULT_MARGIN_MS;
  // Token trades outside a client's request (git asks for one) need a request of their own,
  // aimed at the configured API; inside a request the library uses that client's.
  const quiet = () => {};
  const { request } = new Octokit({
    baseUrl,
    ...(options.userAgent ? { userAgent: options.userAgent } : {}),
    // Octokit's own logging would print failed requests to the console: the errors say it all.
    log: { debug: quiet, info: quiet, warn: quiet, error: quiet },
  });
  const auth = createAppAuth({
    appId: credentials.appId,
    privateKey: credentials.privateKey,
    installationId: credentials.installationId,
    request,
    // The library logs through console otherwise; its only warnings are retried 401s.
    log: { warn: quiet },
  });

  // The token in use: when we got it (monotonic) and how long it lives.
  let current: { token: string; gotAt: number; lifeMs: number } | null = null;
  const installationToken = async (): Promise<InstallationToken> => {
    const refresh = current !== null && clock.monotonic() - current.gotAt >= current.lifeMs - margin;
    try {
      const result = await auth({ type: 'installation', refresh });
      if (result.token !== current?.token) {
        const lifeMs = Math.min(MAX_TOKEN_LIFE_MS, Date.parse(result.expiresAt) - clock.now());
        current = { token: result.token, gotAt: clock.monotonic(), lifeMs };
      }
      return { token: result.token, expiresAt: result.expiresAt };
    } catch (error) {
      throw appAuthFailure(error, credentials, baseUrl);
    }
  };

  let described: Promise<AppDescription> | null = null;
  let botLogin: string | undefined;
  const describe = (): Promise<AppDescription> => {
    described ??= (async () => {
      const { token } = await auth({ type: 'app' });
      const { data } = await request('GET /app', { headers: { authorization: `bearer ${token}` } });
      const description = { slug: String(data?.slug ?? ''), name: String(data?.name ?? '') };
      botLogin = `${description.slug}[bot]`;
      return description;
    })().catch((error: unknown) => {
      described = null; // asked again next time (GitHub may have been unreachable)
      throw appAuthFailure(error, credentials, baseUrl, 'GET /app');
    });
    return described;
  };

  const libraryHook = auth.hook as unknown as Hook;
  const hook: Hook = async (req, route, parameters) => {
    const endpoint = (req as RequestLike).endpoint.merge(route, parameters);
    const base = endpoint.baseUrl ?? baseUrl;
    const path = endpoint.url.startsWith(base) ? endpoint.url.slice(base.length) : endpoint.url;
    if (!APP_ROUTE.test(path)) {
      // The bot's login before anything is read (the trust of state comments needs it), and
      // the token fetched (or refreshed) here so a failed trade surfaces as our typed error;
      // the library's hook then finds it cached, and keeps its retry of a just-minted token.
      await describe();
      await installationToken();
    }
    return libraryHook(req, route, parameters);
  };
  // The library's auth function (`client.auth(...)` keeps working) with our hook in front.
  const strategy = Object.assign((...args: Parameters<typeof auth>) => auth(...args), { hook });

  return {
    appId: credentials.appId,
    installationId: credentials.installationId,
    installationToken,
    describe,
    get botLogin() {
      return botLogin;
    },
    authStrategy: () => strategy,
  };
}
