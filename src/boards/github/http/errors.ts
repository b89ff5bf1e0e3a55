/**
 * GitHub answers mapped to typed errors, in one place. Callers branch on `code` (or the class),
 * never on message text. Every error keeps `status` and `response` (headers, data) so code that
 * inspects a RequestError's shape keeps working, and the original error as `cause`.
 */
import { CodexMonitorError, type ErrorCode, RateLimitedError } from '../../../core/errors.js';
import { redactUrl } from '../../../core/redact.js';
import { type RateLimitInfo, type RateLimitKind, type ResponseHeaders, rateLimitInfo } from './rate-limit.js';

/** What we know about the failed request: never its headers (they carry the token). */
export interface GitHubErrorContext {
  method: string;
  path: string;
  status: number;
  message: string;
  response?: { headers: ResponseHeaders; data: unknown };
}

export class GitHubError extends CodexMonitorError {
  readonly status: number;
  readonly method: string;
  readonly path: string;
  readonly response: { headers: ResponseHeaders; data: unknown } | undefined;

  constructor(code: ErrorCode, message: string, ctx: GitHubErrorContext, options?: ErrorOptions) {
    super(code, message, options);
    this.status = ctx.status;
    this.method = ctx.method;
    this.path = ctx.path;
    this.response = ctx.response;
  }
}

const where = (ctx: GitHubErrorContext) => `${ctx.method} ${ctx.path} answered ${ctx.status}`;

/**
 * A primary (hourly budget) or secondary (burst) limit refused the request; it was not applied.
 * The core's RateLimitedError (what the daemon waits on) with a GitHubError's request facts.
 */
export class GitHubRateLimitedError extends RateLimitedError {
  readonly kind: RateLimitKind;
  /** Epoch ms when the limit lifts, when GitHub said so. */
  readonly resetAt: number | undefined;
  readonly status: number;
  readonly method: string;
  readonly path: string;
  readonly response: { headers: ResponseHeaders; data: unknown } | undefined;

  constructor(ctx: GitHubErrorContext, limit: RateLimitInfo, options?: ErrorOptions) {
    super(
      'GITHUB_RATE_LIMITED',
      `GitHub ${where(ctx)}: ${limit.kind} rate limit exceeded (${ctx.message}). ` +
        `Retry in ${Math.ceil(limit.retryAfterMs / 1000)} s; fewer daemons per token or a longer poll interval help.`,
      limit.retryAfterMs,
      options,
    );
    this.kind = limit.kind;
    this.resetAt = limit.resetAt;
    ({ status: this.status, method: this.method, path: this.path, response: this.response } = ctx);
  }
}

export class GitHubAuthError extends GitHubError {
  constructor(ctx: GitHubErrorContext, options?: ErrorOptions) {
    super(
      'GITHUB_UNAUTHORIZED',
      `GitHub ${where(ctx)}: ${ctx.message}. Check that the configured token is valid and not expired.`,
      ctx,
      options,
    );
  }
}

/** A 403 that is not a rate limit: the token lacks a permission. */
export class GitHubPermissionError extends GitHubError {
  /** e.g. `contents=write`, from `x-accepted-github-permissions`, when GitHub names it. */
  readonly permission: string | null;

  constructor(ctx: GitHubErrorContext, options?: ErrorOptions) {
    const accepted = ctx.response?.headers['x-accepted-github-permissions'];
    const permission = accepted === undefined ? null : String(accepted);
    const need = permission
      ? `The token needs the permission ${permission}.`
      : 'The token lacks a permission this request needs (issues and contents: read and write).';
    super('GITHUB_PERMISSION', `GitHub ${where(ctx)}: ${ctx.message}. ${need}`, ctx, options);
    this.permission = permission;
  }
}

export class GitHubNotFoundError extends GitHubError {
  constructor(ctx: GitHubErrorContext, options?: ErrorOptions) {
    super(
      'GITHUB_NOT_FOUND',
      `GitHub ${where(ctx)}: ${ctx.message}. Check the owner, repository and number, and that the token can see them.`,
      ctx,
      options,
    );
  }
}

/** One entry of a 422's `errors` array. */
export interface GitHubFieldError {
  resource?: string;
  field?: string;
  code?: string;
  message?: string;
}

export class GitHubValidationError extends GitHubError {
  readonly errors: readonly GitHubFieldError[];

  constructor(ctx: GitHubErrorContext, options?: ErrorOptions) {
    const data = ctx.response?.data as { errors?: unknown } | undefined;
    const errors = Array.isArray(data?.errors)
      ? (data.errors as unknown[]).map((e) => (typeof e === 'object' && e ? e : { message: String(e) }))
      : [];
    const detail = errors.map((e: GitHubFieldError) => e.code ?? e.message).filter(Boolean);
    super(
      'GITHUB_VALIDATION',
      `GitHub ${where(ctx)}: ${ctx.message}${detail.length ? ` (${detail.join(', ')})` : ''}.`,
      ctx,
      options,
    );
    this.errors = errors as GitHubFieldError[];
  }

  /** Whether GitHub gave this `code` (e.g. `already_exists`) for any field. */
  hasCode(code: string): boolean {
    return this.errors.some((e) => e.code === code);
  }
}

/** 5xx, or no answer at all: the request may or may not have been applied. */
export class GitHubUnavailableError extends GitHubError {
  constructor(ctx: GitHubErrorContext, options?: ErrorOptions, message?: string) {
    super(
      'GITHUB_UNAVAILABLE',
      message ??
        `GitHub ${where(ctx)}: ${ctx.message}. GitHub is unavailable or the connection failed; it will be retried.`,
      ctx,
      options,
    );
  }
}

/** What a failed connection's errno means, in words. */
const NETWORK_FAILURES: Record<string, string> = {
  ECONNREFUSED: 'connection refused: nothing listens there',
  ENOTFOUND: 'host name not found (DNS)',
  EAI_AGAIN: 'DNS lookup failed for now',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed while sending',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed by the other side',
};

/**
 * No answer at all: the connection failed (refused, DNS, reset, timeout). Octokit reports
 * these with status 500, which would read as "GitHub answered 500"; this says what happened.
 * It stays a GitHubUnavailableError: a reset after sending leaves a write uncertain.
 */
export class GitHubUnreachableError extends GitHubUnavailableError {
  /** The errno-like code, e.g. ECONNREFUSED, ENOTFOUND (or FETCH_FAILED when none was given). */
  readonly network: string;

  constructor(
    ctx: Omit<GitHubErrorContext, 'status'>,
    baseUrl: string,
    network: string,
    options?: ErrorOptions,
  ) {
    const meaning = NETWORK_FAILURES[network] ?? ctx.message;
    super(
      { ...ctx, status: 0 },
      options,
      `GitHub could not be reached at ${redactUrl(baseUrl)} for ${ctx.method} ${ctx.path} ` +
        `(${network}: ${meaning}); it will be retried. Check GITHUB_API_URL and the network.`,
    );
    this.network = network;
  }
}

/** The errno-like code of a failed connection, found along an error's `cause` chain. */
export function networkFailure(error: unknown): string | null {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 6; depth++) {
    const { code, errors, cause } = e as { code?: unknown; errors?: unknown; cause?: unknown };
    if (typeof code === 'string' && /^(E[A-Z_]+|UND_ERR_[A-Z_]+)$/.test(code)) return code;
    // Node's happy-eyeballs connect reports one AggregateError for the IPv4 and IPv6 tries.
    if (Array.isArray(errors) && errors.length > 0) e = errors[0];
    else e = cause;
  }
  return null;
}

/** Any other refusal (400, 409, …). */
export class GitHubRequestError extends GitHubError {
  constructor(ctx: GitHubErrorContext, options?: ErrorOptions) {
    super('GITHUB_REQUEST_FAILED', `GitHub ${where(ctx)}: ${ctx.message}.`, ctx, options);
  }
}

/** Maps a status (with its response) to the typed error. */
export function errorForStatus(
  ctx: GitHubErrorContext,
  cause?: unknown,
  now = Date.now(),
): GitHubError | GitHubRateLimitedError {
  const options = cause === undefined ? undefined : { cause };
  const limit = rateLimitInfo(ctx.status, ctx.response?.headers ?? {}, ctx.message, now);
  if (limit) return new GitHubRateLimitedError(ctx, limit, options);
  if (ctx.status === 401) return new GitHubAuthError(ctx, options);
  if (ctx.status === 403) return new GitHubPermissionError(ctx, options);
  if (ctx.status === 404 || ctx.status === 410) return new GitHubNotFoundError(ctx, options);
  if (ctx.status === 422) return new GitHubValidationError(ctx, options);
  if (ctx.status >= 500) return new GitHubUnavailableError(ctx, options);
  return new GitHubRequestError(ctx, options);
}

/** Whether an error leaves it unknown if a write was applied (5xx, lost connection). */
export function isUncertain(error: unknown): boolean {
  return error instanceof GitHubUnavailableError;
}
