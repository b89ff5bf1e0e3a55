/**
 * Git references: get, list by prefix, create, update (fast-forward or forced), delete.
 * Each write handler validates and applies in one synchronous call against the current state;
 * that is what makes create-if-absent and fast-forward-only updates linearizable here, as they
 * are on GitHub.
 */

import { GitHubError, notFound, objectBody } from '../http.js';
import { conflictsWithExisting, getObject, isAncestor, isSha, isValidRefName } from '../model/git.js';
import type { RepoRecord } from '../model/records.js';
import { renderRef } from '../render/render-git.js';
import {
  mustRepo,
  noContent,
  ok,
  type RouteDef,
  type RouteRequest,
  routesFor,
  stringField,
} from './context.js';

const D = {
  get: 'git/refs#get-a-reference',
  matching: 'git/refs#list-matching-references',
  create: 'git/refs#create-a-reference',
  update: 'git/refs#update-a-reference',
  remove: 'git/refs#delete-a-reference',
};

const fail = (message: string, docs: string) => new GitHubError(422, message, { docs });

/** Refs whose full name starts with `refs/<prefix>`, sorted by name as git does. */
function matching(repo: RepoRecord, prefix: string, asOf?: number): Array<[string, string]> {
  const full = `refs/${prefix}`;
  return repo.refs
    .entries(asOf)
    .filter(([name]) => name.startsWith(full))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function listMatching(req: RouteRequest) {
  const repo = mustRepo(req);
  const refs = matching(repo, req.params.ref ?? '', req.asOf);
  return ok(refs.map(([name, sha]) => renderRef(req.r, repo, name, sha, req.asOf)));
}

function createRef(req: RouteRequest) {
  const repo = mustRepo(req);
  const body = objectBody(req.body);
  const ref = stringField(body, 'ref', D.create);
  const sha = stringField(body, 'sha', D.create);
  if (ref === undefined) throw fail('Invalid request.\n\n"ref" wasn\'t supplied.', D.create);
  if (sha === undefined) throw fail('Invalid request.\n\n"sha" wasn\'t supplied.', D.create);
  if (!/^refs\/[^/]+\/./.test(ref)) {
    throw fail('Reference name must contain at least three slash-separated components.', D.create);
  }
  if (!isValidRefName(ref)) throw fail(`${ref} is not a valid ref name.`, D.create);
  if (!isSha(sha) || !getObject(repo, sha)) throw fail('Object does not exist', D.create);
  if (repo.refs.has(ref)) throw fail('Reference already exists', D.create);
  if (
    conflictsWithExisting(
      repo.refs.entries().map(([name]) => name),
      ref,
    )
  ) {
    throw fail('Reference update failed', D.create);
  }
  repo.refs.set(ref, sha);
  const rendered = renderRef(req.r, repo, ref, sha);
  return { status: 201, body: rendered, headers: { location: rendered.url } };
}

function updateRef(req: RouteRequest) {
  const repo = mustRepo(req);
  const body = objectBody(req.body);
  const sha = stringField(body, 'sha', D.update);
  if (sha === undefined) throw fail('Invalid request.\n\n"sha" wasn\'t supplied.', D.update);
  const force = body.force === true;
  const ref = `refs/${req.params.ref ?? ''}`;
  const current = repo.refs.get(ref);
  if (current === undefined) throw fail('Reference does not exist', D.update);
  if (!isSha(sha) || !getObject(repo, sha)) throw fail('Object does not exist', D.update);
  // Fast-forward: the current tip must be the new sha or one of its ancestors.
  if (!force && !isAncestor(repo, current, sha)) throw fail('Update is not a fast forward', D.update);
  repo.refs.set(ref, sha);
  return ok(renderRef(req.r, repo, ref, sha));
}

export function gitRefRoutes(): RouteDef[] {
  const route = routesFor('contents');
  const base = '/repos/{owner}/{repo}/git';
  return [
    route.get(`${base}/ref/{ref*}`, D.get, (req) => {
      const repo = mustRepo(req);
      const ref = `refs/${req.params.ref ?? ''}`;
      const sha = repo.refs.get(ref, req.asOf) ?? pushedBranch(req, repo, ref);
      if (sha === undefined) throw notFound(D.get);
      return ok(renderRef(req.r, repo, ref, sha, req.asOf));
    }),
    route.get(`${base}/matching-refs/{ref*}`, D.matching, listMatching),
    // Legacy listing (`GET /git/refs`, `/git/refs/heads`) still served by GitHub and used by
    // the git-refs fixture: an exact name answers one object, a prefix an array.
    route.get(`${base}/refs`, D.matching, listMatching),
    route.get(`${base}/refs/{ref*}`, D.get, (req) => {
      const repo = mustRepo(req);
      const name = req.params.ref ?? '';
      const exact = name === '' ? undefined : repo.refs.get(`refs/${name}`, req.asOf);
      if (exact !== undefined) return ok(renderRef(req.r, repo, `refs/${name}`, exact, req.asOf));
      const refs = matching(repo, name, req.asOf);
      if (refs.length === 0) throw notFound(D.get);
      return ok(refs.map(([ref, sha]) => renderRef(req.r, repo, ref, sha, req.asOf)));
    }),
    route.post(`${base}/refs`, D.create, createRef, { contentCreating: true }),
    route.patch(`${base}/refs/{ref*}`, D.update, updateRef),
    route.delete(`${base}/refs/{ref*}`, D.remove, (req) => {
      const repo = mustRepo(req);
      const ref = `refs/${req.params.ref ?? ''}`;
      const deleted = repo.refs.delete(ref) || deletePushedBranch(req, repo, ref);
      if (!deleted) throw fail('Reference does not exist', D.remove);
      return noContent();
    }),
  ];
}

/**
 * Branches pushed over git live in the bare repository only (docs/github-fake.md): the single
 * ref read and the delete see them there too, as GitHub's API sees pushed branches.
 */
function pushedBranch(req: RouteRequest, repo: RepoRecord, ref: string): string | undefined {
  if (!ref.startsWith('refs/heads/')) return undefined;
  return req.store.git?.branches(repo.owner, repo.name).get(ref.slice('refs/heads/'.length));
}

function deletePushedBranch(req: RouteRequest, repo: RepoRecord, ref: string): boolean {
  if (!ref.startsWith('refs/heads/') || !req.store.git) return false;
  return req.store.git.deleteBranch(repo.owner, repo.name, ref.slice('refs/heads/'.length));
}
