/** Repository labels and the labels of one issue. */
import { GitHubError, notFound, objectBody, validationFailed } from '../http.js';
import type { LabelRecord, RepoRecord } from '../model/records.js';
import { paginate } from '../pagination.js';
import { renderLabel } from '../render/render.js';
import {
  listed,
  mustIssue,
  mustRepo,
  noContent,
  ok,
  type RouteDef,
  type RouteRequest,
  routesFor,
  stringField,
} from './context.js';
import { COLOR_RE, ensureLabels, findLabel, labelNames, saveIssue } from './issue-model.js';

const D = {
  list: 'issues/labels#list-labels-for-a-repository',
  create: 'issues/labels#create-a-label',
  get: 'issues/labels#get-a-label',
  update: 'issues/labels#update-a-label',
  remove: 'issues/labels#delete-a-label',
  issueList: 'issues/labels#list-labels-for-an-issue',
  add: 'issues/labels#add-labels-to-an-issue',
  set: 'issues/labels#set-labels-for-an-issue',
  removeOne: 'issues/labels#remove-a-label-from-an-issue',
  removeAll: 'issues/labels#remove-all-labels-from-an-issue',
};

const byName = (a: LabelRecord, b: LabelRecord) => a.name.toLowerCase().localeCompare(b.name.toLowerCase());

function mustLabel(req: RouteRequest, docs: string): { repo: RepoRecord; label: LabelRecord } {
  const repo = mustRepo(req);
  const label = findLabel(repo, req.params.name ?? '', req.asOf);
  if (!label) throw notFound(docs);
  return { repo, label };
}

function color(body: Record<string, unknown>, docs: string): string | undefined {
  const value = stringField(body, 'color', docs);
  if (value === undefined) return undefined;
  const hex = value.replace(/^#/, '');
  if (!COLOR_RE.test(hex))
    throw validationFailed([{ resource: 'Label', code: 'invalid', field: 'color' }], docs);
  return hex;
}

const alreadyExists = (docs: string) =>
  validationFailed([{ resource: 'Label', code: 'already_exists', field: 'name' }], docs);

function createLabel(req: RouteRequest) {
  const repo = mustRepo(req);
  const body = objectBody(req.body);
  const name = stringField(body, 'name', D.create);
  if (!name) throw new GitHubError(422, 'Invalid request.\n\n"name" wasn\'t supplied.', { docs: D.create });
  const hex = color(body, D.create) ?? 'ededed';
  if (findLabel(repo, name)) throw alreadyExists(D.create);
  const label: LabelRecord = {
    id: req.store.nextLabelId(),
    name,
    color: hex,
    description: stringField(body, 'description', D.create) ?? null,
    isDefault: false,
  };
  repo.labels.set(label.id, label);
  const rendered = renderLabel(req.r, repo, label);
  return { status: 201, body: rendered, headers: { location: rendered.url } };
}

function updateLabel(req: RouteRequest) {
  const { repo, label } = mustLabel(req, D.update);
  const body = objectBody(req.body);
  const newName = stringField(body, 'new_name', D.update);
  if (newName !== undefined) {
    const clash = findLabel(repo, newName);
    if (clash && clash.id !== label.id) throw alreadyExists(D.update);
  }
  const next: LabelRecord = {
    ...label,
    name: newName || label.name,
    color: color(body, D.update) ?? label.color,
    description: body.description === undefined ? label.description : (body.description as string | null),
  };
  repo.labels.set(next.id, next);
  return ok(renderLabel(req.r, repo, next));
}

/** Replaces an issue's label ids; returns the rendered labels now on it. */
function changeIssueLabels(
  req: RouteRequest,
  docs: string,
  compute: (current: readonly number[]) => number[],
) {
  const { repo, issue } = mustIssue(req, docs);
  const saved = saveIssue(repo, issue, { ...issue, labelIds: compute(issue.labelIds) }, req.now);
  return issueLabels(req, repo, saved.labelIds);
}

function issueLabels(req: RouteRequest, repo: RepoRecord, ids: readonly number[]) {
  return ids.flatMap((id) => {
    const label = repo.labels.get(id, req.asOf);
    return label ? [renderLabel(req.r, repo, label)] : [];
  });
}

export function labelRoutes(): RouteDef[] {
  const route = routesFor('issues');
  const p = '/repos/{owner}/{repo}/labels';
  const ip = '/repos/{owner}/{repo}/issues/{issue_number}/labels';
  return [
    route.get(p, D.list, (req) => {
      const repo = mustRepo(req);
      const page = paginate(repo.labels.values(req.asOf).sort(byName), req.query, req.linkBase);
      const body = page.items.map((l) => renderLabel(req.r, repo, l));
      return listed(body, page.link);
    }),
    route.post(p, D.create, createLabel, { contentCreating: true }),
    route.get(`${p}/{name}`, D.get, (req) => {
      const { repo, label } = mustLabel(req, D.get);
      return ok(renderLabel(req.r, repo, label));
    }),
    route.patch(`${p}/{name}`, D.update, updateLabel),
    route.delete(`${p}/{name}`, D.remove, (req) => {
      const { repo, label } = mustLabel(req, D.remove);
      repo.labels.delete(label.id);
      return noContent();
    }),
    route.get(ip, D.issueList, (req) => {
      const { repo, issue } = mustIssue(req, D.issueList);
      const page = paginate(issueLabels(req, repo, issue.labelIds), req.query, req.linkBase);
      return listed(page.items, page.link);
    }),
    route.post(ip, D.add, (req) => {
      const names = labelNames(req.body, D.add);
      const repo = mustRepo(req);
      return ok(
        changeIssueLabels(req, D.add, (current) => {
          const added = ensureLabels(req.store, repo, names);
          return [...current, ...added.filter((id) => !current.includes(id))];
        }),
      );
    }),
    route.put(ip, D.set, (req) => {
      const names = labelNames(req.body, D.set);
      const repo = mustRepo(req);
      return ok(changeIssueLabels(req, D.set, () => ensureLabels(req.store, repo, names)));
    }),
    route.delete(ip, D.removeAll, (req) => {
      changeIssueLabels(req, D.removeAll, () => []);
      return noContent();
    }),
    route.delete(`${ip}/{name}`, D.removeOne, (req) => {
      const { repo, issue } = mustIssue(req, D.removeOne);
      const label = findLabel(repo, req.params.name ?? '');
      if (!label || !issue.labelIds.includes(label.id)) {
        throw new GitHubError(404, 'Label does not exist', { docs: D.removeOne });
      }
      return ok(changeIssueLabels(req, D.removeOne, (current) => current.filter((id) => id !== label.id)));
    }),
  ];
}
