/**
 * Errors of the ref ledger, and the one place that reads an HTTP status off whatever the
 * caller's Octokit throws (a plain RequestError or a mapped GitHubError: both carry `status`).
 */
import { CodexMonitorError, RateLimitedError } from '../../../core/errors.js';
import { type ResponseHeaders, rateLimitInfo } from '../http/index.js';

/** The token cannot read or write git data: the ledger cannot work at all. */
export class LedgerPermissionError extends CodexMonitorError {
  readonly status: number;

  constructor(repo: string, request: string, status: number, options?: ErrorOptions) {
    super(
      'LEDGER_PERMISSION',
      `The token cannot use the git data API of ${repo} (${request} answered ${status}). ` +
        'The claim ledger needs the repository permission "contents: write" (fine-grained token) ' +
        'or the "repo" scope (classic token) to create commits and refs under refs/codex-monitor/.',
      options,
    );
    this.status = status;
  }
}

/**
 * A write's outcome or a ref's state could not be established (repeated 5xx, network errors,
 * a read that lags behind a write). Nothing is assumed: retry later.
 */
export class LedgerUncertainError extends CodexMonitorError {
  constructor(what: string, options?: ErrorOptions) {
    super('LEDGER_UNCERTAIN', `Ref ledger: ${what}. Nothing was assumed; retry on the next cycle.`, options);
  }
}

/**
 * A ledger ref points at something that is not one of our commits (a tree, a blob, a tag, a
 * commit GitHub cannot find). Only that issue is skipped; a human repairs or deletes the ref.
 */
export class LedgerBadRefError extends CodexMonitorError {
  constructor(
    readonly sha: string,
    readonly reason: string,
  ) {
    super('LEDGER_BAD_REF', `Ref ledger: ${sha} ${reason}.`);
  }
}

/** What an answer means for the protocol. */
export type Answer = 'conflict' | 'unknown' | 'missing' | 'denied' | 'other';

export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * 422 is a definite refusal (the write was not applied); 5xx or no status (network) may have
 * been applied; 404 is absence; 403 without rate-limit headers is a missing permission (a 401,
 * a bad token, is left to the caller's client to report).
 */
export function classify(error: unknown): Answer {
  const status = statusOf(error);
  if (status === 422) return 'conflict';
  if (status === undefined || status === 0 || status >= 500) return 'unknown';
  if (status === 404) return 'missing';
  if (status === 403 && !isRateLimited(error)) return 'denied';
  return 'other';
}

/**
 * A mapped error says so by its class; a plain RequestError (a caller's own Octokit) is read
 * with the client's one classification (rateLimitInfo), never a second copy of it.
 */
function isRateLimited(error: unknown): boolean {
  if (error instanceof RateLimitedError) return true;
  if (error instanceof CodexMonitorError) return false;
  const { status, response, message } = error as {
    status?: unknown;
    response?: { headers?: ResponseHeaders };
    message?: unknown;
  };
  if (typeof status !== 'number') return false;
  return rateLimitInfo(status, response?.headers ?? {}, String(message ?? ''), 0) !== null;
}
