/**
 * GitHub over HTTP: the Octokit client (retries, pacing, the persisted ETag cache) and the one
 * mapping of HTTP answers to typed errors. Imports nothing else of the GitHub board.
 */
export {
  type AppDescription,
  createGitHubAppAuth,
  type GitHubAppAuth,
  type GitHubAppAuthOptions,
  type GitHubAppCredentials,
  type InstallationToken,
} from './app-auth.js';
export { GitHubAppAuthError } from './app-auth-errors.js';
export {
  createGitHubClient,
  type GitHubClient,
  type GitHubClientAuth,
  type LimitInfo,
  type ResponseInfo,
} from './client.js';
export {
  errorForStatus,
  GitHubAuthError,
  GitHubError,
  GitHubNotFoundError,
  GitHubPermissionError,
  GitHubRateLimitedError,
  GitHubRequestError,
  GitHubUnavailableError,
  GitHubUnreachableError,
  GitHubValidationError,
  isUncertain,
} from './errors.js';
export { fetchAllPages, nextLink } from './paging.js';
export { type ResponseHeaders, rateLimitInfo } from './rate-limit.js';
