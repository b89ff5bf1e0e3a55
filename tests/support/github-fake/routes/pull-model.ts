/** What the pull routes share: branches from the bare repository, lookups, rendering one. */
import { GitHubError } from '../http.js';
import type { IssueRecord, RepoRecord } from '../model/records.js';
import { type PullContext, renderPull, viewPull } from '../render/render-pull.js';
import { intParam, mustRepo, type RouteRequest } from './context.js';

/** Branches of the repository now: the bare repository's, none without `gitRoot`. */
export function branchesOf(req: RouteRequest, repo: RepoRecord): Map<string, string> {
  return req.store.git?.branches(repo.owner, repo.name) ?? new Map();
}

export function pullContext(req: RouteRequest, repo: RepoRecord): PullContext {
  const openIssues = repo.issues.values(req.asOf).filter((i) => i.state === 'open').length;
  return { r: req.r, repo, profile: req.profile, openIssues, asOf: req.asOf };
}

export function mustPull(req: RouteRequest, docs: string): { repo: RepoRecord; issue: IssueRecord } {
  const repo = mustRepo(req);
  const issue = repo.issues.get(intParam(req.params.pull_number), req.asOf);
  if (!issue?.pullRequest) throw new GitHubError(404, 'Not Found', { docs });
  return { repo, issue };
}

/** The full representation, with commits and diff figures read from the bare repository. */
export function renderOne(req: RouteRequest, repo: RepoRecord, issue: IssueRecord) {
  const view = viewPull(repo, issue, branchesOf(req, repo));
  const git = req.store.git;
  const diff = git ? safely(() => git.diffStat(repo.owner, repo.name, view.baseSha, view.headSha)) : null;
  return renderPull(pullContext(req, repo), view, diff);
}

function safely<T>(f: () => T): T | null {
  try {
    return f();
  } catch {
    return null; // an object the bare repository does not have (a seeded pull request)
  }
}

/** Another open pull request with this head and base: GitHub allows one per pair. */
export function duplicateOf(
  repo: RepoRecord,
  head: string,
  base: string,
  self?: number,
): IssueRecord | undefined {
  return repo.issues
    .values()
    .find(
      (i) =>
        i.number !== self &&
        i.state === 'open' &&
        i.pullRequest?.head === head &&
        i.pullRequest.base === base,
    );
}

/** `owner:branch` or `branch`; another owner would be a fork, which the fake does not have. */
export function headBranch(repo: RepoRecord, head: string): string | undefined {
  const m = /^([^:]+):(.+)$/.exec(head);
  if (!m) return head;
  return m[1]!.toLowerCase() === repo.owner.toLowerCase() ? m[2] : undefined;
}
