/** Labels of a pull request, added through the issues labels endpoint (a pull request is an issue). */
import { type GitHubClient, isUncertain } from '../http/index.js';

/**
 * Adds the labels of `wanted` that `present` lacks (case-insensitively); missing repository
 * labels are created by GitHub. Adding is idempotent (a label already there is kept once), so
 * unlike a create, a POST whose answer was lost is simply sent once more.
 */
export async function addMissingLabels(
  ctx: { client: GitHubClient; owner: string; repo: string },
  number: number,
  present: readonly string[],
  wanted: readonly string[] | undefined,
  signal?: AbortSignal,
): Promise<void> {
  const have = new Set(present.map((l) => l.toLowerCase()));
  const missing = (wanted ?? []).filter((l) => !have.has(l.toLowerCase()));
  if (missing.length === 0) return;
  const { client, owner, repo } = ctx;
  const add = () =>
    client.rest.issues.addLabels({ owner, repo, issue_number: number, labels: missing, request: { signal } });
  try {
    await add();
  } catch (error) {
    if (!isUncertain(error)) throw error;
    await add();
  }
}
