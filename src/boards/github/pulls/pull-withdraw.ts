/**
 * Taking back what a fenced attempt delivered: its pull request and its branch. Both are the
 * issue's, not the attempt's — the next owner continues the branch and updates the same pull
 * request — so they are taken back only while the branch still holds exactly what the fenced
 * attempt pushed. Once someone pushed on top, they belong to that owner and are left alone.
 */
import { type GitHubClient, GitHubNotFoundError, GitHubValidationError } from '../http/index.js';
import type { PullRequests } from './pull-requests.js';

export interface PullWithdrawContext {
  client: GitHubClient;
  owner: string;
  repo: string;
  pulls: Pick<PullRequests, 'findOpen' | 'close'>;
}

/** What a fenced attempt delivered. */
export interface DeliveredPull {
  number: number;
  branch: string;
  /** The sha the attempt pushed (null: unknown, the pull request is closed regardless). */
  pushedSha: string | null;
}

/**
 * `withdrawn`: closed and its branch deleted; `adopted`: someone pushed on top, both left to
 * them; `gone`: the pull request is no longer open (closed, merged, or another one now).
 */
export type Withdrawal = 'withdrawn' | 'adopted' | 'gone';

export async function withdrawPull(
  ctx: PullWithdrawContext,
  delivered: DeliveredPull,
  signal?: AbortSignal,
): Promise<Withdrawal> {
  const { number, branch, pushedSha } = delivered;
  const open = await ctx.pulls.findOpen(branch, { fresh: true, ...(signal ? { signal } : {}) });
  if (open?.number !== number) return 'gone';
  if (pushedSha !== null && open.headSha !== pushedSha) return 'adopted';
  await ctx.pulls.close(number, signal);
  if (pushedSha !== null) await deleteBranchAt(ctx, branch, pushedSha, signal);
  return 'withdrawn';
}

/**
 * Deletes `branch` if it still points at `sha`. GitHub has no conditional delete: the check
 * and the delete leave a short window; the attempt's own withdraw (a push by lease) closes it
 * whenever the attempt hears of the refusal itself.
 */
async function deleteBranchAt(
  ctx: PullWithdrawContext,
  branch: string,
  sha: string,
  signal?: AbortSignal,
): Promise<void> {
  const { client, owner, repo } = ctx;
  const ref = `heads/${branch}`;
  try {
    const { data } = await client.rest.git.getRef({ owner, repo, ref, request: { signal } });
    if (data.object.sha !== sha) return;
    await client.rest.git.deleteRef({ owner, repo, ref, request: { signal } });
  } catch (error) {
    // Already gone (deleted by the attempt's own withdraw, or by a human).
    if (error instanceof GitHubNotFoundError || error instanceof GitHubValidationError) return;
    throw error;
  }
}
