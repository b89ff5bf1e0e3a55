/**
 * Pull requests: list (state, head, base, sort, pagination), get, create, update, merge. A pull
 * request is also an issue (same number sequence, in issue lists with `pull_request`, labels
 * and comments through the issue routes); its branches are read from the bare repository.
 */
import { GitHubError, missingField, objectBody, validationFailed } from '../http.js';
import type { IssueRecord, PullFields } from '../model/records.js';
import { paginate } from '../pagination.js';
import { renderPullSimple, viewPull } from '../render/render-pull.js';
import {
  BODY_LIMIT,
  bodyTooLong,
  charCount,
  listed,
  mustRepo,
  ok,
  type RouteDef,
  type RouteRequest,
  routesFor,
  stringField,
} from './context.js';
import { createIssueRecord, saveIssue } from './issue-model.js';
import { mergeRoute } from './pull-merge.js';
import { branchesOf, duplicateOf, headBranch, mustPull, pullContext, renderOne } from './pull-model.js';

const LIST_DOCS = 'pulls/pulls#list-pull-requests';
const CREATE_DOCS = 'pulls/pulls#create-a-pull-request';
const UPDATE_DOCS = 'pulls/pulls#update-a-pull-request';
const GET_DOCS = 'pulls/pulls#get-a-pull-request';

const invalid = (field: string, docs: string) =>
  validationFailed([{ resource: 'PullRequest', field, code: 'invalid' }], docs);
const custom = (message: string, docs: string) =>
  new GitHubError(422, 'Validation Failed', {
    errors: [{ resource: 'PullRequest', code: 'custom', message }],
    docs,
  });
const tooLong = (docs: string) => bodyTooLong('PullRequest', docs);

function listPulls(req: RouteRequest) {
  const repo = mustRepo(req);
  const q = req.query;
  const state = q.get('state') ?? 'open';
  if (!['open', 'closed', 'all'].includes(state)) throw invalid('state', LIST_DOCS);
  // `head` filters only as `owner:branch`; a bare branch name is ignored, as on GitHub.
  const headFilter = /^([^:]+):(.+)$/.exec(q.get('head') ?? '');
  const base = q.get('base');
  const sort = q.get('sort') ?? 'created';
  const key = (i: IssueRecord): number =>
    sort === 'updated' ? i.updatedAt : sort === 'popularity' ? i.comments : i.createdAt;
  const direction = q.get('direction') ?? (sort === 'created' ? 'desc' : 'asc');
  const sign = direction === 'asc' ? 1 : -1;
  const all = repo.issues
    .values(req.asOf)
    .filter((i) => {
      const pull = i.pullRequest;
      if (!pull || (state !== 'all' && i.state !== state)) return false;
      if (base && pull.base !== base) return false;
      if (!headFilter) return true;
      return headFilter[1]!.toLowerCase() === repo.owner.toLowerCase() && headFilter[2] === pull.head;
    })
    .sort((a, b) => sign * (key(a) - key(b) || a.number - b.number));
  const page = paginate(all, q, req.linkBase);
  const branches = branchesOf(req, repo);
  const ctx = pullContext(req, repo);
  return listed(
    page.items.map((i) => renderPullSimple(ctx, viewPull(repo, i, branches))),
    page.link,
  );
}

function requiredString(body: Record<string, unknown>, field: string, docs: string): string {
  const value = stringField(body, field, docs);
  if (value === undefined || value === '') throw missingField(field, docs);
  return value;
}

function createPull(req: RouteRequest) {
  const repo = mustRepo(req);
  const body = objectBody(req.body);
  const title = requiredString(body, 'title', CREATE_DOCS);
  const headParam = requiredString(body, 'head', CREATE_DOCS);
  const base = requiredString(body, 'base', CREATE_DOCS);
  const text = stringField(body, 'body', CREATE_DOCS) ?? null;
  if (text !== null && charCount(text) > BODY_LIMIT) throw tooLong(CREATE_DOCS);
  const branches = branchesOf(req, repo);
  const head = headBranch(repo, headParam);
  const headSha = head === undefined ? undefined : branches.get(head);
  if (head === undefined || headSha === undefined) throw invalid('head', CREATE_DOCS);
  const baseSha = branches.get(base);
  if (baseSha === undefined) throw invalid('base', CREATE_DOCS);
  if (duplicateOf(repo, head, base)) {
    throw custom(`A pull request already exists for ${repo.owner}:${head}.`, CREATE_DOCS);
  }
  if (req.store.git!.ahead(repo.owner, repo.name, baseSha, headSha) === 0) {
    throw custom(`No commits between ${base} and ${head}`, CREATE_DOCS);
  }
  const pull: PullFields = {
    mergedAt: null,
    draft: body.draft === true,
    head,
    base,
    headSha,
    baseSha,
    mergedBy: null,
    mergeCommitSha: null,
    maintainerCanModify: body.maintainer_can_modify !== false,
  };
  const issue = createIssueRecord(req, repo, { title, body: text, labelIds: [], pullRequest: pull });
  const rendered = renderOne(req, repo, issue);
  return { status: 201, body: rendered, headers: { location: rendered.url } };
}

function updatePull(req: RouteRequest) {
  const { repo, issue } = mustPull(req, UPDATE_DOCS);
  const body = objectBody(req.body);
  const pull = issue.pullRequest!;
  let next: IssueRecord = { ...issue };
  const title = stringField(body, 'title', UPDATE_DOCS);
  if (title !== undefined && title !== '') next = { ...next, title };
  if (body.body !== undefined) {
    const text = body.body === null ? null : (stringField(body, 'body', UPDATE_DOCS) ?? null);
    if (text !== null && charCount(text) > BODY_LIMIT) throw tooLong(UPDATE_DOCS);
    next = { ...next, body: text };
  }
  const branches = branchesOf(req, repo);
  const base = stringField(body, 'base', UPDATE_DOCS);
  if (base !== undefined && base !== pull.base) {
    if (!branches.has(base)) throw invalid('base', UPDATE_DOCS);
    next = { ...next, pullRequest: { ...pull, base } };
  }
  if (body.maintainer_can_modify !== undefined) {
    next = {
      ...next,
      pullRequest: { ...next.pullRequest!, maintainerCanModify: body.maintainer_can_modify === true },
    };
  }
  if (body.state !== undefined && body.state !== 'open' && body.state !== 'closed')
    throw invalid('state', UPDATE_DOCS);
  const view = viewPull(repo, issue, branches);
  if (body.state === 'closed' && issue.state === 'open') {
    // The shas are kept: a closed pull request keeps showing them once its branch is gone.
    const kept = { ...next.pullRequest!, headSha: view.headSha, baseSha: view.baseSha };
    next = {
      ...next,
      state: 'closed',
      closedAt: req.now,
      closedBy: req.profile.login ?? null,
      pullRequest: kept,
    };
  } else if (body.state === 'open' && issue.state === 'closed') {
    if (pull.mergedAt !== null)
      throw custom('state cannot be changed. The pull request has been merged.', UPDATE_DOCS);
    if (!branches.has(pull.head)) throw invalid('head', UPDATE_DOCS);
    next = { ...next, state: 'open', closedAt: null, closedBy: null };
  }
  const after = next.pullRequest!;
  if (next.state === 'open' && duplicateOf(repo, after.head, after.base, issue.number)) {
    throw custom(`A pull request already exists for ${repo.owner}:${after.head}.`, UPDATE_DOCS);
  }
  const saved = saveIssue(repo, issue, next, req.now);
  return ok(renderOne(req, repo, saved));
}

export function pullRoutes(): RouteDef[] {
  const route = routesFor('pullRequests');
  const p = '/repos/{owner}/{repo}/pulls';
  return [
    route.get(p, LIST_DOCS, listPulls),
    route.post(p, CREATE_DOCS, createPull, { contentCreating: true }),
    route.get(`${p}/{pull_number}`, GET_DOCS, (req) => {
      const { repo, issue } = mustPull(req, GET_DOCS);
      return ok(renderOne(req, repo, issue));
    }),
    route.patch(`${p}/{pull_number}`, UPDATE_DOCS, updatePull),
    mergeRoute(),
  ];
}
