/**
 * Typed errors with stable codes: callers branch on `code`, never on message text.
 * Messages say what was wrong, with which value, and what to do.
 */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'STATE_CORRUPT'
  | 'STATE_UNAVAILABLE'
  | 'OWNER_COLLISION'
  | 'INPUT_INVALID'
  | 'NOT_FOUND'
  | 'GITHUB_RATE_LIMITED'
  | 'GITHUB_UNAUTHORIZED'
  | 'GITHUB_APP_AUTH'
  | 'GITHUB_PERMISSION'
  | 'GITHUB_NOT_FOUND'
  | 'GITHUB_VALIDATION'
  | 'GITHUB_UNAVAILABLE'
  | 'GITHUB_REQUEST_FAILED'
  | 'GITHUB_PROJECT'
  | 'JIRA_RATE_LIMITED'
  | 'JIRA_UNAUTHORIZED'
  | 'JIRA_REQUEST_FAILED'
  | 'LEDGER_PERMISSION'
  | 'LEDGER_UNCERTAIN'
  | 'LEDGER_BAD_REF'
  | 'LEDGER_REMOTE'
  | 'GIT_FAILED'
  | 'GIT_TIMEOUT'
  | 'GIT_ABORTED'
  | 'REPO_NOT_GIT'
  | 'REPO_NO_REMOTE'
  | 'REPO_OTHER_REMOTE'
  | 'BRANCH_PREFIX_INVALID'
  | 'WORKSPACE_BUSY'
  | 'WORKSPACE_UNKNOWN'
  | 'PULL_REQUEST_HEAD_INVALID'
  | 'PULL_REQUEST_BASE_INVALID'
  | 'PULL_REQUEST_NO_COMMITS'
  | 'PULL_REQUEST_PERMISSION'
  | 'PULL_REQUEST_UNCERTAIN'
  | 'ATTEMPT_LOG_ELSEWHERE'
  | 'CLAIM_REFUSED'
  | 'CLAIM_LOST';

export class CodexMonitorError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/**
 * A board refused a request for now (a rate limit); it was not applied. Whoever retries waits
 * `retryAfterMs` first. Boards map their own answers to it (GitHub: http errors, in one place),
 * so the daemon needs no knowledge of any board's protocol.
 */
export class RateLimitedError extends CodexMonitorError {
  readonly retryAfterMs: number;

  constructor(code: ErrorCode, message: string, retryAfterMs: number, options?: ErrorOptions) {
    super(code, message, options);
    this.retryAfterMs = retryAfterMs;
  }
}

/** How long a failure asks to be waited out before a retry, if it says (a rate limit). */
export function retryAfterOf(error: unknown): number | null {
  return error instanceof RateLimitedError ? error.retryAfterMs : null;
}

/** One or more configuration problems, all reported at once. */
export class ConfigError extends CodexMonitorError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(
      'CONFIG_INVALID',
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems
        .map((p) => `  - ${p}`)
        .join('\n')}`,
    );
    this.problems = problems;
  }
}

/** Two live daemons configured with one owner id. */
export class OwnerCollisionError extends CodexMonitorError {
  constructor(ownerId: string, detail: string) {
    super(
      'OWNER_COLLISION',
      `Owner id "${ownerId}" is already in use by a live daemon (${detail}). ` +
        'Give each daemon its own CODEX_MONITOR_OWNER_ID (or --owner).',
    );
  }
}

/** Bad input from a file or a command line: names the thing and the field. */
export class InputError extends CodexMonitorError {
  constructor(message: string) {
    super('INPUT_INVALID', message);
  }
}

export class NotFoundError extends CodexMonitorError {
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}

/** An attempt's log is on another workstation (`owner` ran it): `codex-monitor logs` there. */
export class AttemptLogElsewhereError extends CodexMonitorError {
  constructor(
    message: string,
    readonly owner: string | null,
  ) {
    super('ATTEMPT_LOG_ELSEWHERE', message);
  }
}

/**
 * A hand claim (`codex-monitor claim`, `next --claim`) was refused: held by someone live, done,
 * ignored, waiting... `reason` is the board's stable refusal reason, `holder` who holds it.
 */
export class ClaimRefusedError extends CodexMonitorError {
  constructor(
    message: string,
    readonly reason: string,
    readonly holder: string | null = null,
  ) {
    super('CLAIM_REFUSED', message);
  }
}

/** A hand claim's holder wrote (hold, renew, release) after losing it: taken over, released, lapsed. */
export class ClaimLostError extends CodexMonitorError {
  constructor(
    message: string,
    /** Why, as the board says it: taken-over, released, lease-expired, not-held, wrong-owner. */
    readonly lostBecause: string,
  ) {
    super('CLAIM_LOST', message);
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
