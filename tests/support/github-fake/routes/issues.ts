/** Issues: list (filters, sort, pagination), get, create, update. */
import { parseSeconds } from '../clock.js';
import { GitHubError, objectBody, validationFailed } from '../http.js';
import type { IssueRecord, StateReason } from '../model/records.js';
import { paginate } from '../pagination.js';
import { renderIssue } from '../render/render.js';
import {
  BODY_LIMIT,
  bodyTooLong,
  charCount,
  listed,
  mustIssue,
  mustRepo,
  ok,
  type RouteDef,
  type RouteRequest,
  routesFor,
  stringField,
} from './context.js';
import { createIssueRecord, ensureLabels, labelNames, STATE_REASONS, saveIssue } from './issue-model.js';

const LIST_DOCS = 'issues/issues#list-repository-issues';
const CREATE_DOCS = 'issues/issues#create-an-issue';
const UPDATE_DOCS = 'issues/issues#update-an-issue';

const tooLong = (docs: string) => bodyTooLong('Issue', docs);

function listIssues(req: RouteRequest) {
  const repo = mustRepo(req);
  const q = req.query;
  const state = q.get('state') ?? 'open';
  if (!['open', 'closed', 'all'].includes(state)) {
    throw validationFailed([{ resource: 'Issue', code: 'invalid', field: 'state' }], LIST_DOCS);
  }
  const wanted = (q.get('labels') ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const since = parseSeconds(q.get('since'));
  const creator = q.get('creator');
  const labelName = (id: number) => repo.labels.get(id, req.asOf)?.name.toLowerCase();

  const matches = (issue: IssueRecord): boolean => {
    if (state !== 'all' && issue.state !== state) return false;
    if (!Number.isNaN(since) && issue.updatedAt < since) return false;
    if (creator && issue.user.toLowerCase() !== creator.toLowerCase()) return false;
    if (wanted.length === 0) return true;
    const names = new Set(issue.labelIds.map(labelName));
    return wanted.every((name) => names.has(name));
  };

  const sort = q.get('sort') ?? 'created';
  const key = (i: IssueRecord): number =>
    sort === 'updated' ? i.updatedAt : sort === 'comments' ? i.comments : i.createdAt;
  const sign = (q.get('direction') ?? 'desc') === 'asc' ? 1 : -1;
  // Ties (same second) fall back to the number, in the same direction, so pages are stable.
  const all = repo.issues
    .values(req.asOf)
    .filter(matches)
    .sort((a, b) => sign * (key(a) - key(b) || a.number - b.number));

  const page = paginate(all, q, req.linkBase);
  const body = page.items.map((issue) => renderIssue(req.r, repo, issue, { asOf: req.asOf }));
  return listed(body, page.link);
}

function createIssue(req: RouteRequest) {
  const repo = mustRepo(req);
  const body = objectBody(req.body);
  const rawTitle = body.title;
  if (rawTitle === undefined || rawTitle === null || rawTitle === '') {
    throw new GitHubError(422, 'Invalid request.\n\n"title" wasn\'t supplied.', { docs: CREATE_DOCS });
  }
  const text = stringField(body, 'body', CREATE_DOCS) ?? null;
  if (text !== null && charCount(text) > BODY_LIMIT) throw tooLong(CREATE_DOCS);
  const names = body.labels === undefined ? [] : labelNames(body, CREATE_DOCS);
  const labelIds = ensureLabels(req.store, repo, names);
  const issue = createIssueRecord(req, repo, {
    title: String(rawTitle),
    body: text,
    labelIds,
    pullRequest: null,
  });
  const rendered = renderIssue(req.r, repo, issue, { single: true });
  return { status: 201, body: rendered, headers: { location: String(rendered.url) } };
}

function updateIssue(req: RouteRequest) {
  const { repo, issue } = mustIssue(req, UPDATE_DOCS);
  const body = objectBody(req.body);
  let next: IssueRecord = { ...issue };
  if (body.title !== undefined && body.title !== null) next = { ...next, title: String(body.title) };
  if (body.body !== undefined) {
    const text = body.body === null ? null : (stringField(body, 'body', UPDATE_DOCS) ?? null);
    if (text !== null && charCount(text) > BODY_LIMIT) throw tooLong(UPDATE_DOCS);
    next = { ...next, body: text };
  }
  const reason = body.state_reason;
  if (reason !== undefined && reason !== null && !STATE_REASONS.includes(reason as StateReason)) {
    throw validationFailed([{ resource: 'Issue', code: 'invalid', field: 'state_reason' }], UPDATE_DOCS);
  }
  if (body.state !== undefined) {
    if (body.state !== 'open' && body.state !== 'closed') {
      throw validationFailed([{ resource: 'Issue', code: 'invalid', field: 'state' }], UPDATE_DOCS);
    }
    if (body.state === 'closed' && issue.state === 'open') {
      const why = (reason as StateReason | undefined) ?? 'completed';
      next = {
        ...next,
        state: 'closed',
        closedAt: req.now,
        closedBy: req.profile.login ?? null,
        stateReason: why,
      };
    } else if (body.state === 'open' && issue.state === 'closed') {
      next = { ...next, state: 'open', closedAt: null, closedBy: null, stateReason: 'reopened' };
    }
  }
  const justClosed = issue.state === 'open' && next.state === 'closed';
  if (reason !== undefined && !justClosed && next.state === 'closed') {
    next = { ...next, stateReason: (reason as StateReason | null) ?? 'completed' };
  }
  if (body.labels !== undefined && body.labels !== null) {
    next = { ...next, labelIds: ensureLabels(req.store, repo, labelNames(body, UPDATE_DOCS)) };
  }
  const saved = saveIssue(repo, issue, next, req.now);
  return ok(renderIssue(req.r, repo, saved, { single: true }));
}

export function issueRoutes(): RouteDef[] {
  const route = routesFor('issues');
  const p = '/repos/{owner}/{repo}/issues';
  return [
    route.get(p, LIST_DOCS, listIssues),
    route.post(p, CREATE_DOCS, createIssue, { contentCreating: true }),
    route.get(`${p}/{issue_number}`, 'issues/issues#get-an-issue', (req) => {
      const { repo, issue } = mustIssue(req, 'issues/issues#get-an-issue');
      return ok(renderIssue(req.r, repo, issue, { asOf: req.asOf, single: true }));
    }),
    route.patch(`${p}/{issue_number}`, UPDATE_DOCS, updateIssue),
  ];
}
