/**
 * An issue's pull request: the one open pull request of a branch (find, open or update, close)
 * and its body (`Fixes #N`, the agent's sanitised summary, who made it).
 */
// The body is the ledger core's (the Jira board's pull requests have one too); re-exported here.
export {
  PULL_BODY_LIMIT,
  PULL_MARKER,
  type PullBodyInput,
  renderPullBody,
  sanitizeSummary,
} from '../../ledger/index.js';
export { type PullRefusal, PullRequestError } from './pull-errors.js';
export {
  type OpenPullRequest,
  PULL_REREAD_DELAYS_MS,
  type PullRequestResult,
  type PullRequestSpec,
  PullRequests,
  type PullRequestsOptions,
} from './pull-requests.js';
export { MARK_READY, type PullReview, PullReviews, type ReviewEvent } from './pull-reviews.js';
export {
  type DeliveredPull,
  type PullWithdrawContext,
  type Withdrawal,
  withdrawPull,
} from './pull-withdraw.js';
export { type HumanVerdict, humanVerdict } from './review-verdict.js';
