/** Git commits and trees. */

import { GitHubError, type Json, notFound, objectBody } from '../http.js';
import { getCommit, getObject, isSha, makeCommit } from '../model/git.js';
import type { GitIdentity, TreeObject } from '../model/records.js';
import { renderCommit, renderTree } from '../render/render-git.js';
import { mustRepo, ok, type RouteDef, type RouteRequest, routesFor, stringField } from './context.js';

const D = {
  create: 'git/commits#create-a-commit',
  get: 'git/commits#get-a-commit-object',
  tree: 'git/trees#get-a-tree',
};

const fail = (message: string) => new GitHubError(422, message, { docs: D.create });

/** An author/committer from the body, defaulting to the token's user at the server's time. */
function identity(value: unknown, fallback: GitIdentity, field: string): GitIdentity {
  if (value === undefined || value === null) return fallback;
  const v = value as Json;
  if (typeof v !== 'object' || typeof v.name !== 'string' || typeof v.email !== 'string') {
    throw fail(`Invalid request.\n\n"name" and "email" are required in "${field}".`);
  }
  let date = fallback.date;
  if (v.date !== undefined) {
    date = Date.parse(String(v.date));
    if (Number.isNaN(date)) throw fail(`Invalid request.\n\n"date" is not a valid date-time in "${field}".`);
    date = Math.floor(date / 1000) * 1000;
  }
  return { name: v.name, email: v.email, date };
}

function createCommit(req: RouteRequest) {
  const repo = mustRepo(req);
  const body = objectBody(req.body);
  const message = stringField(body, 'message', D.create);
  if (message === undefined) throw fail('Invalid request.\n\n"message" wasn\'t supplied.');
  const tree = stringField(body, 'tree', D.create);
  if (tree === undefined) throw fail('Invalid request.\n\n"tree" wasn\'t supplied.');
  const parents = body.parents ?? [];
  if (!Array.isArray(parents)) throw fail("Invalid request.\n\nFor 'parents', it is not an array.");
  if (!isSha(tree) || getObject(repo, tree)?.type !== 'tree') throw fail('Tree SHA does not exist');
  let generation = 1;
  for (const parent of parents) {
    if (!isSha(parent)) {
      throw fail(
        "Each SHA in the 'parents' parameter must be exactly 40 characters and contain only [0-9a-f].",
      );
    }
    const commit = getCommit(repo, parent);
    if (!commit) throw fail('Parent SHA does not exist or is not a commit object');
    generation = Math.max(generation, commit.generation + 1);
  }
  const login = req.profile.login ?? 'test-user';
  const me: GitIdentity = { name: login, email: `${login}@users.noreply.github.com`, date: req.now };
  const author = identity(body.author, me, 'author');
  const committer = identity(body.committer, author, 'committer');
  const commit = makeCommit({ tree, parents: parents as string[], message, author, committer }, generation);
  // Same content in the same second hashes to the same sha, which git stores once.
  if (!getObject(repo, commit.sha)) repo.objects.set(commit.sha, commit);
  const rendered = renderCommit(req.r, repo, commit);
  return { status: 201, body: rendered, headers: { location: rendered.url } };
}

/** Resolves a tree-ish as GitHub's get-tree does: a tree sha, a commit sha, or a branch name. */
function resolveTree(req: RouteRequest): TreeObject | undefined {
  const repo = mustRepo(req);
  const name = req.params.tree_sha ?? '';
  let sha = name;
  if (!isSha(name)) {
    const branch =
      repo.refs.get(`refs/heads/${name}`, req.asOf) ?? repo.refs.get(`refs/tags/${name}`, req.asOf);
    if (branch === undefined) return undefined;
    sha = branch;
  }
  const object = getObject(repo, sha, req.asOf);
  if (object?.type === 'tree') return object;
  if (object?.type === 'commit') {
    const tree = getObject(repo, object.tree, req.asOf);
    return tree?.type === 'tree' ? tree : undefined;
  }
  return undefined;
}

export function gitObjectRoutes(): RouteDef[] {
  const route = routesFor('contents');
  const base = '/repos/{owner}/{repo}/git';
  return [
    route.post(`${base}/commits`, D.create, createCommit, { contentCreating: true }),
    route.get(`${base}/commits/{commit_sha}`, D.get, (req) => {
      const repo = mustRepo(req);
      const commit = getCommit(repo, req.params.commit_sha ?? '', req.asOf);
      if (!commit) throw notFound(D.get);
      return ok(renderCommit(req.r, repo, commit));
    }),
    route.get(`${base}/trees/{tree_sha}`, D.tree, (req) => {
      const tree = resolveTree(req);
      if (!tree) throw notFound(D.tree);
      return ok(renderTree(req.r, mustRepo(req), tree));
    }),
  ];
}
