/** What a route handler receives and returns; shared helpers for the route modules. */
import { type ApiResult, GitHubError, notFound, validationFailed } from '../http.js';
import type { IssueRecord, RepoRecord } from '../model/records.js';
import type { Store } from '../model/store.js';
import type { Renderer } from '../render/render.js';
import type { TokenProfile } from '../types.js';

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/**
 * Which fine-grained permission a route needs (`read` for GET, `write` otherwise), or which kind
 * of credential: `app` (an app's JWT), `installation` (an installation token), `user` (a user's token).
 */
export type Scope =
  | 'none'
  | 'metadata'
  | 'contents'
  | 'issues'
  | 'pullRequests'
  | 'app'
  | 'installation'
  | 'user';

export interface RouteRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly profile: TokenProfile;
  /** Resolved by the pipeline for `/repos/{owner}/{repo}/...` routes. */
  readonly repo: RepoRecord | undefined;
  /** Point in (monotonic) time a GET reads at; undefined means the current state (writes). */
  readonly asOf: number | undefined;
  /** Server wall clock, whole seconds, in ms. */
  readonly now: number;
  readonly store: Store;
  readonly r: Renderer;
  /** Base for pagination links: GitHub links repository lists through `/repositories/{id}`. */
  readonly linkBase: string;
}

/**
 * A route. `handle` is synchronous on purpose: validation and mutation happen in one turn of the
 * event loop, so concurrent requests cannot interleave between a check and its write.
 */
export interface RouteDef {
  readonly method: Method;
  /** GitHub's path template; `{name*}` matches the rest of the path, slashes included. */
  readonly path: string;
  readonly scope: Scope;
  /** Counts against the content-creation secondary limit. */
  readonly contentCreating?: boolean;
  /** Not charged to the primary limit (GET /rate_limit). */
  readonly free?: boolean;
  /** Suffix of https://docs.github.com/rest/ used in error bodies. */
  readonly docs: string;
  handle(req: RouteRequest): ApiResult;
}

export function mustRepo(req: RouteRequest): RepoRecord {
  if (!req.repo) throw notFound();
  return req.repo;
}

export function intParam(value: string | undefined): number {
  const n = Number(value);
  if (!value || !Number.isSafeInteger(n) || n <= 0) throw notFound();
  return n;
}

/** The issue at the request's point in time, or a 404. */
export function mustIssue(req: RouteRequest, docs?: string): { repo: RepoRecord; issue: IssueRecord } {
  const repo = mustRepo(req);
  const issue = repo.issues.get(intParam(req.params.issue_number), req.asOf);
  if (!issue) throw notFound(docs);
  return { repo, issue };
}

/** Reads an optional string field, rejecting other types as GitHub's schema validation does. */
export function stringField(body: Record<string, unknown>, field: string, docs: string): string | undefined {
  const value = body[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') {
    throw new GitHubError(
      422,
      `Invalid request.\n\nFor '${field}', ${JSON.stringify(value)} is not a string.`,
      {
        docs,
      },
    );
  }
  return value;
}

/** Characters as GitHub counts them for length limits (code points, not UTF-16 units). */
export function charCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

export const BODY_LIMIT = 65_536;

/** GitHub's 422 for a body over BODY_LIMIT on an issue, comment or pull request. */
export const bodyTooLong = (resource: string, docs: string) =>
  validationFailed(
    [{ resource, code: 'custom', field: 'body', message: 'body is too long (maximum is 65536 characters)' }],
    docs,
  );

export const ok = (body: unknown, status = 200): ApiResult => ({ status, body });

/** A list page with its `Link` header (absent when everything fits on one page). */
export const listed = (body: unknown[], link: string | undefined): ApiResult => ({
  status: 200,
  body,
  headers: link ? { link } : {},
});
export const noContent = (): ApiResult => ({ status: 204 });

/** What a route may add to method, path, scope, docs and handler. */
export type RouteExtras = Pick<RouteDef, 'contentCreating' | 'free'>;

type RouteOf = (path: string, docs: string, handle: RouteDef['handle'], extras?: RouteExtras) => RouteDef;

/**
 * Route definitions for one permission scope, one call a route: `route.get(path, docs, handle)`
 * instead of an object literal that repeats the scope and spells out every key.
 */
export function routesFor(scope: Scope): Record<'get' | 'post' | 'patch' | 'put' | 'delete', RouteOf> {
  const of =
    (method: Method): RouteOf =>
    (path, docs, handle, extras = {}) => ({ method, path, scope, docs, handle, ...extras });
  return { get: of('GET'), post: of('POST'), patch: of('PATCH'), put: of('PUT'), delete: of('DELETE') };
}
