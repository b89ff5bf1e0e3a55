/**
 * GitHub App authentication: the app signs a JWT with its private key and trades it for an
 * installation token, which acts as the app's bot user on the installation's own rate budget
 * (5,000–12,500 requests an hour, shared with nothing a person runs). @octokit/auth-app does
 * the signing, the trade and the caching; this module makes one instance of it serve every
 * Octokit client of the process and git (one token, one cache), refreshes the token a margin
 * before it expires on the injected clock, and turns a failed trade into an error that says
 * which setting to check.
 */
import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import type { Clock } from '../../../core/clock.js';
import { CodexMonitorError } from '../../../core/errors.js';
import { redactUrl } from '../../../core/redact.js';
import { errorForStatus, GitHubUnreachableError, networkFailure } from './errors.js';
import type { ResponseHeaders } from './rate-limit.js';

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

/** The app's credentials could not be traded for an installation token (bad key, id, clock). */
export class GitHubAppAuthError extends CodexMonitorError {
  constructor(
    readonly status: number,
    message: string,
    options?: ErrorOptions,
  ) {
    super('GITHUB_APP_AUTH', message, options);
  }
}

export interface GitHubAppAuth {
  readonly appId: string;
  readonly installationId: number;
  /** The installation token: cached, fetched anew `refreshMarginMs` before it expires. */
  installationToken(): Promise<InstallationToken>;
  /** A fresh JWT, for the app's own endpoints (`GET /app`). */
  appJwt(): Promise<string>;
  /** The app as GitHub describes it (`GET /app`, with the JWT): its slug names its bot user. */
  describe(): Promise<{ slug: string; name: string }>;
  /** Octokit's `authStrategy`: every client built with it shares this instance's token. */
  readonly authStrategy: () => unknown;
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
  let current: { expiresAtMs: number } | null = null;

  const installationToken = async (): Promise<InstallationToken> => {
    const refresh = current !== null && clock.now() >= current.expiresAtMs - margin;
    try {
      const result = await auth({ type: 'installation', refresh });
      current = { expiresAtMs: Date.parse(result.expiresAt) };
      return { token: result.token, expiresAt: result.expiresAt };
    } catch (error) {
      throw appAuthFailure(error, credentials, baseUrl);
    }
  };

  const libraryHook = auth.hook as unknown as Hook;
  const hook: Hook = async (req, route, parameters) => {
    const endpoint = (req as RequestLike).endpoint.merge(route, parameters);
    const base = endpoint.baseUrl ?? baseUrl;
    const path = endpoint.url.startsWith(base) ? endpoint.url.slice(base.length) : endpoint.url;
    // Fetched (or refreshed) here so a failed trade surfaces as GitHubAppAuthError; the
    // library's hook then finds it in its cache, and keeps its retry of a just-minted token.
    if (!APP_ROUTE.test(path)) await installationToken();
    return libraryHook(req, route, parameters);
  };
  // The library's auth function (`client.auth(...)` keeps working) with our hook in front.
  const strategy = Object.assign((...args: Parameters<typeof auth>) => auth(...args), { hook });

  return {
    appId: credentials.appId,
    installationId: credentials.installationId,
    installationToken,
    appJwt: async () => (await auth({ type: 'app' })).token,
    describe: async () => {
      try {
        const { token } = await auth({ type: 'app' });
        const { data } = await request('GET /app', { headers: { authorization: `bearer ${token}` } });
        return { slug: String(data?.slug ?? ''), name: String(data?.name ?? '') };
      } catch (error) {
        throw appAuthFailure(error, credentials, baseUrl, 'GET /app');
      }
    },
    authStrategy: () => strategy,
  };
}

/** A failed token trade, said in terms of the settings to check. */
function appAuthFailure(
  error: unknown,
  credentials: GitHubAppCredentials,
  baseUrl: string,
  route = `POST /app/installations/${credentials.installationId}/access_tokens`,
): Error {
  if (error instanceof CodexMonitorError) return error;
  const failure = error as { status?: unknown; response?: { headers: ResponseHeaders; data: unknown } };
  const status = typeof failure.status === 'number' ? failure.status : undefined;
  const data = failure.response?.data as { message?: unknown } | undefined;
  const said = redactUrl(typeof data?.message === 'string' ? data.message : String((error as Error).message));
  const [method = 'POST', path = ''] = route.split(' ');
  const app = `GitHub App ${credentials.appId}`;
  if (!failure.response) {
    // No answer (network), or the key could not sign at all.
    const network = networkFailure(error);
    if (network) {
      return new GitHubUnreachableError({ method: 'POST', path, message: said }, baseUrl, network, {
        cause: error,
      });
    }
    return new GitHubAppAuthError(
      0,
      `${app} could not sign its token request (${said}). Check GITHUB_APP_PRIVATE_KEY (or GITHUB_APP_PRIVATE_KEY_FILE): ` +
        "it must be the app's private key in PEM form, as downloaded from the app's settings.",
      { cause: error },
    );
  }
  if (status === 401) {
    return new GitHubAppAuthError(
      401,
      `${app} was refused ${method === 'GET' ? 'by GET /app' : 'an installation token'} (401 ${said}). Check that GITHUB_APP_PRIVATE_KEY is a current private key ` +
        "of this app (the app's settings, Private keys), that GITHUB_APP_ID is its id, and that this machine's clock is right.",
      { cause: error },
    );
  }
  if (status === 404) {
    return new GitHubAppAuthError(
      404,
      `${app} has no installation ${credentials.installationId} (404 ${said}). Set GITHUB_APP_INSTALLATION_ID to the id ` +
        "of the app's installation on the repository's owner (the number at the end of the installation's settings URL).",
      { cause: error },
    );
  }
  return errorForStatus(
    { method, path, status: status ?? 0, message: said, response: failure.response },
    error,
  );
}
