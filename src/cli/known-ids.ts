/**
 * Commands that name a task act only on a task that exists: an unknown id is a typo, and
 * acting on it anyway would invent a task (`ignore` once created one that then ran). Each
 * check fails with a clear error (exit 2) before anything is written.
 */
import type { GitHubClient } from '../boards/github/http/index.js';
import { GitHubNotFoundError } from '../boards/github/http/index.js';
import { InputError } from '../core/errors.js';
import type { SharedState } from '../state/shared-state.js';

/** The local board's task `id`, or an error naming it. */
export function requireLocalTask(state: SharedState, id: string): void {
  if (state.get(id)) return;
  throw new InputError(
    `No task ${JSON.stringify(id)} on the board; list the ids with: codex-monitor tasks ls`,
  );
}

/** A task on the board, or one the event log still knows (its row may be gone). */
export function requireKnownTask(state: SharedState, id: string): void {
  if (state.get(id) || state.events.query({ taskId: id, limit: 1 }).length > 0) return;
  throw new InputError(
    `No task ${JSON.stringify(id)} on the board and no events for it; list the ids with: codex-monitor state ls`,
  );
}

/** Issue `issue` of `owner/repo` exists and is an issue (not a pull request), or an error. */
export async function requireIssue(client: GitHubClient, owner: string, repo: string, issue: number) {
  let data: { pull_request?: unknown };
  try {
    ({ data } = await client.rest.issues.get({ owner, repo, issue_number: issue }));
  } catch (error) {
    if (error instanceof GitHubNotFoundError) {
      throw new InputError(`No issue #${issue} in ${owner}/${repo}: check the number.`);
    }
    throw error;
  }
  if (data.pull_request)
    throw new InputError(`#${issue} in ${owner}/${repo} is a pull request, not an issue.`);
}
