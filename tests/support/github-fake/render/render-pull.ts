/**
 * JSON representation of a pull request: `pull-request-simple` in lists, `pull-request` (with
 * merge state and diff figures) for one. Shas come from the bare repository at request time.
 */
import { iso, isoOrNull } from '../clock.js';
import type { DiffStat } from '../model/bare-git.js';
import type { IssueRecord, PullFields, RepoRecord } from '../model/records.js';
import type { TokenProfile } from '../types.js';
import { nodeId, type Renderer, renderLabel, renderUser, repoApi } from './render.js';
import { renderRepo } from './render-repo.js';

/** A pull request with the shas its branches have now (or had, once a branch is gone). */
export interface PullView {
  issue: IssueRecord;
  pull: PullFields;
  headSha: string;
  baseSha: string;
}

/** Shas of head and base: the live branches while the PR is open, else the last ones seen. */
export function viewPull(
  repo: RepoRecord,
  issue: IssueRecord,
  branches: ReadonlyMap<string, string>,
): PullView {
  const pull = issue.pullRequest!;
  const fallback = repo.refs.get(`refs/heads/${repo.defaultBranch}`) ?? '0'.repeat(40);
  const live = issue.state === 'open';
  const headSha = (live ? branches.get(pull.head) : undefined) ?? pull.headSha ?? fallback;
  const baseSha = (live ? branches.get(pull.base) : undefined) ?? pull.baseSha ?? fallback;
  return { issue, pull, headSha, baseSha };
}

export interface PullContext {
  r: Renderer;
  repo: RepoRecord;
  profile: TokenProfile;
  openIssues: number;
  asOf: number | undefined;
}

function branch(ctx: PullContext, ref: string, sha: string) {
  const { r, repo } = ctx;
  return {
    label: `${repo.owner}:${ref}`,
    ref,
    sha,
    user: renderUser(r, repo.owner, repo.ownerType),
    repo: renderRepo(r, repo, ctx.profile, ctx.openIssues),
  };
}

export function renderPullSimple(ctx: PullContext, view: PullView) {
  const { r, repo } = ctx;
  const { issue, pull } = view;
  const base = repoApi(r, repo);
  const url = `${base}/pulls/${issue.number}`;
  const html = `${r.html}/${repo.owner}/${repo.name}/pull/${issue.number}`;
  const issueUrl = `${base}/issues/${issue.number}`;
  const labels = issue.labelIds.flatMap((id) => {
    const label = repo.labels.get(id, ctx.asOf);
    return label ? [renderLabel(r, repo, label)] : [];
  });
  const href = (h: string) => ({ href: h });
  return {
    url,
    id: issue.id,
    node_id: nodeId('PullRequest', issue.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issueUrl,
    commits_url: `${url}/commits`,
    review_comments_url: `${url}/comments`,
    review_comment_url: `${base}/pulls/comments{/number}`,
    comments_url: `${issueUrl}/comments`,
    statuses_url: `${base}/statuses/${view.headSha}`,
    number: issue.number,
    state: issue.state,
    locked: issue.locked,
    title: issue.title,
    user: renderUser(r, issue.user),
    body: issue.body,
    labels,
    milestone: null,
    active_lock_reason: null,
    created_at: iso(issue.createdAt),
    updated_at: iso(issue.updatedAt),
    closed_at: isoOrNull(issue.closedAt),
    merged_at: isoOrNull(pull.mergedAt),
    merge_commit_sha: pull.mergeCommitSha,
    assignee: null,
    assignees: [],
    requested_reviewers: [],
    requested_teams: [],
    head: branch(ctx, pull.head, view.headSha),
    base: branch(ctx, pull.base, view.baseSha),
    _links: {
      self: href(url),
      html: href(html),
      issue: href(issueUrl),
      comments: href(`${issueUrl}/comments`),
      review_comments: href(`${url}/comments`),
      review_comment: href(`${base}/pulls/comments{/number}`),
      commits: href(`${url}/commits`),
      statuses: href(`${base}/statuses/${view.headSha}`),
    },
    author_association: issue.authorAssociation,
    auto_merge: null,
    draft: pull.draft,
  };
}

/** One pull request; `diff` is null when the bare repository cannot say (no gitRoot, branch gone). */
export function renderPull(ctx: PullContext, view: PullView, diff: DiffStat | null) {
  const { issue, pull } = view;
  const open = issue.state === 'open';
  return {
    ...renderPullSimple(ctx, view),
    merged: pull.mergedAt !== null,
    // Mergeability is computed lazily on GitHub; the fake does not try merges to answer it.
    mergeable: open ? true : null,
    rebaseable: open ? true : null,
    mergeable_state: open ? 'clean' : 'unknown',
    merged_by: pull.mergedBy ? renderUser(ctx.r, pull.mergedBy) : null,
    comments: issue.comments,
    review_comments: 0,
    maintainer_can_modify: pull.maintainerCanModify,
    commits: diff?.commits ?? 0,
    additions: diff?.additions ?? 0,
    deletions: diff?.deletions ?? 0,
    changed_files: diff?.changedFiles ?? 0,
  };
}
