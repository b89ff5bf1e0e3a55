import type { Config } from '../../config/config.js';

/**
 * GITHUB_REPOSITORY when GitHub issues are the board. Undefined on the local board and on the
 * Jira board, where GITHUB_REPOSITORY (if set) only names where Jira tasks' pull requests go:
 * `status` and the dashboard then show the Jira fleet, not a GitHub one.
 */
export function githubIssuesRepository(config: Config): Config['github']['repository'] {
  return config.jira === undefined ? config.github.repository : undefined;
}
