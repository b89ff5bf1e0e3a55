/**
 * JSON representations of issues, labels, comments, users and repositories with the keys
 * GitHub sends (checked by the fixture conformance and OpenAPI schema tests).
 */
import { iso, isoOrNull } from '../clock.js';
import type { CommentRecord, IssueRecord, LabelRecord, RepoRecord } from '../model/records.js';
import type { Store } from '../model/store.js';

export interface Renderer {
  /** Base URL of the API (the fake's own address). */
  readonly api: string;
  /** Base URL of the web UI used for `html_url`s. */
  readonly html: string;
  readonly store: Store;
}

export const nodeId = (kind: string, id: number | string): string =>
  Buffer.from(`${kind}:${id}`).toString('base64');

export function repoApi(r: Renderer, repo: RepoRecord): string {
  return `${r.api}/repos/${repo.owner}/${repo.name}`;
}

/** A user; a `<slug>[bot]` login is an app's bot user (type Bot), as GitHub renders it. */
export function renderUser(
  r: Renderer,
  login: string,
  type: 'User' | 'Organization' | 'Bot' = login.endsWith('[bot]') ? 'Bot' : 'User',
) {
  const id = r.store.userId(login);
  const url = `${r.api}/users/${login}`;
  return {
    login,
    id,
    node_id: nodeId('User', id),
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url,
    html_url: login.endsWith('[bot]')
      ? `${r.html}/apps/${login.slice(0, -'[bot]'.length)}`
      : `${r.html}/${login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type,
    user_view_type: 'public',
    site_admin: false,
  };
}

export function renderLabel(r: Renderer, repo: RepoRecord, label: LabelRecord) {
  return {
    id: label.id,
    node_id: nodeId('Label', label.id),
    url: `${repoApi(r, repo)}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    color: label.color,
    default: label.isDefault,
    description: label.description,
  };
}

const reactions = (url: string) => ({
  url,
  total_count: 0,
  '+1': 0,
  '-1': 0,
  laugh: 0,
  hooray: 0,
  confused: 0,
  heart: 0,
  rocket: 0,
  eyes: 0,
});

/**
 * An issue as GitHub renders it; `single` adds `closed_by`, which GitHub sends for one issue
 * but not in lists. Labels are resolved at the same point in time as the issue.
 */
export function renderIssue(
  r: Renderer,
  repo: RepoRecord,
  issue: IssueRecord,
  opts: { asOf?: number; single?: boolean } = {},
) {
  const base = repoApi(r, repo);
  const url = `${base}/issues/${issue.number}`;
  const html = `${r.html}/${repo.owner}/${repo.name}`;
  const labels = issue.labelIds.flatMap((id) => {
    const label = repo.labels.get(id, opts.asOf);
    return label ? [renderLabel(r, repo, label)] : [];
  });
  const out: Record<string, unknown> = {
    url,
    repository_url: base,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: `${html}/${issue.pullRequest ? 'pull' : 'issues'}/${issue.number}`,
    id: issue.id,
    node_id: nodeId(issue.pullRequest ? 'PullRequest' : 'Issue', issue.id),
    number: issue.number,
    title: issue.title,
    user: renderUser(r, issue.user),
    labels,
    state: issue.state,
    locked: issue.locked,
    assignee: null,
    assignees: [],
    milestone: null,
    comments: issue.comments,
    created_at: iso(issue.createdAt),
    updated_at: iso(issue.updatedAt),
    closed_at: isoOrNull(issue.closedAt),
    author_association: issue.authorAssociation,
    active_lock_reason: null,
  };
  if (issue.pullRequest) {
    out.draft = issue.pullRequest.draft;
    out.pull_request = {
      url: `${base}/pulls/${issue.number}`,
      html_url: `${html}/pull/${issue.number}`,
      diff_url: `${html}/pull/${issue.number}.diff`,
      patch_url: `${html}/pull/${issue.number}.patch`,
      merged_at: isoOrNull(issue.pullRequest.mergedAt),
    };
  }
  out.body = issue.body;
  if (opts.single) out.closed_by = issue.closedBy ? renderUser(r, issue.closedBy) : null;
  out.reactions = reactions(`${url}/reactions`);
  out.timeline_url = `${url}/timeline`;
  out.performed_via_github_app = null;
  out.state_reason = issue.stateReason;
  return out;
}

export function renderComment(r: Renderer, repo: RepoRecord, comment: CommentRecord) {
  const base = repoApi(r, repo);
  const url = `${base}/issues/comments/${comment.id}`;
  return {
    url,
    html_url: `${r.html}/${repo.owner}/${repo.name}/issues/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${base}/issues/${comment.issueNumber}`,
    id: comment.id,
    node_id: nodeId('IssueComment', comment.id),
    user: renderUser(r, comment.user),
    created_at: iso(comment.createdAt),
    updated_at: iso(comment.updatedAt),
    author_association: comment.authorAssociation,
    body: comment.body,
    reactions: reactions(`${url}/reactions`),
    performed_via_github_app: null,
  };
}
