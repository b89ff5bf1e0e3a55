/**
 * A GitHub App's failed authentication, said in terms of the settings to check: the key
 * (a 401 on the JWT), the installation id (404), the network or GitHub's own trouble (the
 * usual typed errors, which start-up retries).
 */
import { CodexMonitorError } from '../../../core/errors.js';
import { redactUrl } from '../../../core/redact.js';
import { errorForStatus, GitHubUnreachableError, networkFailure } from './errors.js';
import type { ResponseHeaders } from './rate-limit.js';

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

/** A failed token trade, said in terms of the settings to check. */
export function appAuthFailure(
  error: unknown,
  credentials: { appId: string; installationId: number },
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
