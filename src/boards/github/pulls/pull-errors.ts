/**
 * Errors of the pull-request client, and the one place that reads GitHub's refusals of a
 * pull request. GitHub marks "already exists" and "no commits" only as `code: custom` with a
 * message, so those two are told apart by the message's start here and nowhere else.
 */
import { CodexMonitorError, type ErrorCode } from '../../../core/errors.js';
import { GitHubPermissionError, GitHubValidationError } from '../http/index.js';

/** Why GitHub refused to create (or update) a pull request. */
export type PullRefusal = 'exists' | 'head' | 'base' | 'no-commits';

/** GitHub's refusal in a 422, or null when the error is something else. */
export function refusalOf(error: unknown): PullRefusal | null {
  if (!(error instanceof GitHubValidationError)) return null;
  for (const e of error.errors) {
    if (e.field === 'head' && e.code === 'invalid') return 'head';
    if (e.field === 'base' && e.code === 'invalid') return 'base';
    if (e.code !== 'custom' || typeof e.message !== 'string') continue;
    if (/^A pull request already exists for /i.test(e.message)) return 'exists';
    if (/^No commits between /i.test(e.message)) return 'no-commits';
  }
  return null;
}

export class PullRequestError extends CodexMonitorError {
  /** The branch the pull request is (or would be) from; null when only its number is known. */
  readonly branch: string | null;

  constructor(code: ErrorCode, branch: string | null, message: string, options?: ErrorOptions) {
    super(code, message, options);
    this.branch = branch;
  }
}

/** What a refusal or failure means for `branch` of `repo`, as a typed error saying what to do. */
export function pullRequestError(
  error: unknown,
  ctx: { repo: string; branch: string | null; base: string },
): PullRequestError | null {
  const { repo, branch, base } = ctx;
  const options = { cause: error };
  if (error instanceof GitHubPermissionError) {
    return new PullRequestError(
      'PULL_REQUEST_PERMISSION',
      branch,
      `The token cannot open or edit pull requests in ${repo} (${error.method} ${error.path} answered ` +
        `${error.status}). It needs the repository permission "pull_requests: write" (fine-grained ` +
        'token) or the "repo" scope (classic token).',
      options,
    );
  }
  switch (refusalOf(error)) {
    case 'head':
      return new PullRequestError(
        'PULL_REQUEST_HEAD_INVALID',
        branch,
        `GitHub does not know the branch "${branch}" in ${repo}: push it before opening its pull request.`,
        options,
      );
    case 'base':
      return new PullRequestError(
        'PULL_REQUEST_BASE_INVALID',
        branch,
        `GitHub does not know the base branch "${base}" in ${repo}: check the configured base branch.`,
        options,
      );
    case 'no-commits':
      return new PullRequestError(
        'PULL_REQUEST_NO_COMMITS',
        branch,
        `The branch "${branch}" has no commits beyond "${base}" in ${repo}: there is nothing to review.`,
        options,
      );
    default:
      return null;
  }
}

/** A create whose outcome could not be established (lost answers, a lagging list). */
export function uncertain(branch: string, repo: string, what: string, cause: unknown): PullRequestError {
  return new PullRequestError(
    'PULL_REQUEST_UNCERTAIN',
    branch,
    `The pull request of "${branch}" in ${repo}: ${what}. Nothing was assumed; retry later ` +
      '(GitHub refuses a second open pull request for one branch, so a retry cannot duplicate it).',
    { cause },
  );
}
