/** Jira's HTTP answers as typed errors, mapped in one place (jira.js throws its HttpException). */
import { CodexMonitorError, RateLimitedError } from '../../core/errors.js';

/** Jira answered 429: wait `retryAfterMs` (its Retry-After header) before the next request. */
export class JiraRateLimitedError extends RateLimitedError {
  constructor(what: string, retryAfterMs: number) {
    super(
      'JIRA_RATE_LIMITED',
      `Jira rate-limited ${what}: retry after ${Math.ceil(retryAfterMs / 1000)} s`,
      retryAfterMs,
    );
  }
}

/** 401/403: the credentials are missing, wrong or lack a permission. */
export class JiraUnauthorizedError extends CodexMonitorError {
  constructor(
    what: string,
    readonly status: number,
    detail: string,
  ) {
    super(
      'JIRA_UNAUTHORIZED',
      `Jira refused ${what} (${status}: ${detail}). Check JIRA_EMAIL and JIRA_API_TOKEN (or JIRA_BEARER_TOKEN) ` +
        'and that this account may browse and edit the issues JIRA_JQL selects.',
    );
  }
}

/** Any other failed request: Jira's own messages (`errorMessages`, `errors`) are kept. */
export class JiraRequestError extends CodexMonitorError {
  constructor(
    what: string,
    readonly status: number,
    readonly detail: string,
  ) {
    super('JIRA_REQUEST_FAILED', `Jira answered ${status} to ${what}: ${detail}`);
  }
}

interface HttpLike {
  status?: unknown;
  response?: { data?: unknown };
  cause?: { response?: { headers?: Record<string, unknown> } };
}

/** Jira's error body `{ errorMessages: [...], errors: { field: message } }` as one line. */
function detailOf(data: unknown): string {
  if (data && typeof data === 'object') {
    const d = data as { errorMessages?: unknown; errors?: unknown };
    const messages = Array.isArray(d.errorMessages) ? d.errorMessages.map(String) : [];
    const fields =
      d.errors && typeof d.errors === 'object'
        ? Object.entries(d.errors).map(([k, v]) => `${k}: ${String(v)}`)
        : [];
    const all = [...messages, ...fields];
    if (all.length) return all.join('; ');
  }
  return typeof data === 'string' && data ? data.slice(0, 200) : 'no detail';
}

/** Seconds of a Retry-After header (Jira sends seconds); 60 s when absent or unreadable. */
export function retryAfterMsOf(header: unknown): number {
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : 60_000;
}

/** Maps what jira.js threw for `what` (e.g. "GET issue PROJ-1") to one of the errors above. */
export function jiraErrorOf(error: unknown, what: string): Error {
  const e = error as HttpLike;
  const status = typeof e?.status === 'number' ? e.status : null;
  if (status === null) return error instanceof Error ? error : new Error(String(error));
  const inner = (e.response as { data?: unknown } | undefined)?.data;
  const detail = detailOf(inner);
  if (status === 429)
    return new JiraRateLimitedError(what, retryAfterMsOf(e.cause?.response?.headers?.['retry-after']));
  if (status === 401 || status === 403) return new JiraUnauthorizedError(what, status, detail);
  return new JiraRequestError(what, status, detail);
}
