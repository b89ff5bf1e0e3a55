/**
 * Merging a pull request: a merge commit on its base branch in the bare repository (GitHub's
 * default "Create a merge commit"), the pull request closed as merged, and — when the base is
 * the default branch — every issue its body says it fixes closed as completed.
 */
import { GitHubError, notFound } from '../http.js';
import type { IssueRecord, PullFields, RepoRecord } from './records.js';
import type { Store } from './store.js';

export interface MergeResult {
  /** The merge commit on the base branch. */
  sha: string;
  /** Issues closed by a closing keyword in the body, in body order. */
  closedIssues: number[];
}

const MERGE_DOCS = 'pulls/pulls#merge-a-pull-request';
const notMergeable = () => new GitHubError(405, 'Pull Request is not mergeable', { docs: MERGE_DOCS });

/**
 * GitHub's closing keywords (close, closes, closed, fix, fixes, fixed, resolve, resolves,
 * resolved; any case; an optional colon) before `#N` or `owner/repo#N` naming this repository.
 */
export function fixedIssues(body: string | null, owner: string, repo: string): number[] {
  const re = /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?):?\s+(?:([\w.-]+)\/([\w.-]+))?#(\d+)\b/gi;
  const out: number[] = [];
  for (const m of (body ?? '').matchAll(re)) {
    const sameRepo = m[1] === undefined || (eq(m[1], owner) && eq(m[2]!, repo));
    const n = Number(m[3]);
    if (sameRepo && !out.includes(n)) out.push(n);
  }
  return out;
}

const eq = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export function mergePull(
  store: Store,
  repo: RepoRecord,
  number: number,
  opts: { by: string; sha?: string; message?: string },
): MergeResult {
  const pr = repo.issues.get(number);
  if (!pr?.pullRequest) throw notFound(MERGE_DOCS);
  const fields: PullFields = pr.pullRequest;
  const git = store.git;
  if (pr.state !== 'open' || !git) throw notMergeable();
  const branches = git.branches(repo.owner, repo.name);
  const headSha = branches.get(fields.head);
  const baseSha = branches.get(fields.base);
  if (!headSha || !baseSha) throw notMergeable();
  if (opts.sha !== undefined && opts.sha !== headSha) {
    throw new GitHubError(409, 'Head branch was modified. Review and try the merge again.', {
      docs: MERGE_DOCS,
    });
  }
  const now = store.clock.nowSeconds();
  const message =
    opts.message ?? `Merge pull request #${number} from ${repo.owner}/${fields.head}\n\n${pr.title}\n`;
  const email = `${opts.by}@users.noreply.github.com`;
  const sha = git.merge(repo.owner, repo.name, {
    base: fields.base,
    baseSha,
    headSha,
    message,
    who: { name: opts.by, email, date: now },
  });
  if (sha === null) throw notMergeable();
  const merged: IssueRecord = {
    ...pr,
    state: 'closed',
    closedAt: now,
    closedBy: opts.by,
    updatedAt: now,
    pullRequest: { ...fields, mergedAt: now, mergedBy: opts.by, mergeCommitSha: sha, headSha, baseSha },
  };
  repo.issues.set(number, merged);
  const closedIssues: number[] = [];
  if (fields.base === repo.defaultBranch) {
    for (const n of fixedIssues(pr.body, repo.owner, repo.name)) {
      const issue = repo.issues.get(n);
      if (!issue || issue.pullRequest || issue.state === 'closed') continue;
      const closed = { state: 'closed', stateReason: 'completed', closedAt: now, closedBy: opts.by } as const;
      repo.issues.set(n, { ...issue, ...closed, updatedAt: now });
      closedIssues.push(n);
    }
  }
  return { sha, closedIssues };
}
