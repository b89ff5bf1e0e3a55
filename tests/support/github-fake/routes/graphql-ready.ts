/**
 * `POST /graphql` for exactly one mutation: `markPullRequestReadyForReview(input: {pullRequestId})`,
 * because REST cannot take a pull request out of draft (`PATCH /pulls/{n}` ignores `draft`).
 * Anything else is answered as GitHub answers a query it cannot run: 200 with `errors`. Kept
 * separate so a later GraphQL surface (Projects v2) can replace the dispatch without touching this.
 */
import { objectBody } from '../http.js';
import type { IssueRecord, RepoRecord } from '../model/records.js';
import { nodeId } from '../render/render.js';
import { ok, type RouteDef, type RouteRequest, routesFor } from './context.js';

const DOCS = 'graphql/reference/mutations#markpullrequestreadyforreview';
const MUTATION = 'markPullRequestReadyForReview';
/** Fields of `pullRequest` the fake can select. */
const FIELDS = ['id', 'number', 'isDraft', 'url', 'state'] as const;

const failure = (message: string, extra: Record<string, unknown> = {}) =>
  ok({ data: null, errors: [{ message, ...extra }] });

/** The pull request id: a `$variable` from `variables`, or an inline string literal. */
function pullRequestId(query: string, variables: Record<string, unknown>): string | undefined {
  const m = /pullRequestId\s*:\s*(?:\$(\w+)|"([^"]*)")/.exec(query);
  if (!m) return undefined;
  if (m[2] !== undefined) return m[2];
  const value = variables[m[1]!];
  return typeof value === 'string' ? value : undefined;
}

function findPull(req: RouteRequest, id: string): { repo: RepoRecord; issue: IssueRecord } | undefined {
  for (const repo of req.store.repos()) {
    const issue = repo.issues.values().find((i) => i.pullRequest && nodeId('PullRequest', i.id) === id);
    if (issue) return { repo, issue };
  }
  return undefined;
}

function handle(req: RouteRequest) {
  const body = objectBody(req.body);
  const query = typeof body.query === 'string' ? body.query : '';
  const variables = (body.variables && typeof body.variables === 'object' ? body.variables : {}) as Record<
    string,
    unknown
  >;
  if (!/^\s*mutation\b/.test(query) || !query.includes(MUTATION)) {
    return failure(`The fake GitHub serves only the ${MUTATION} mutation over GraphQL.`);
  }
  const id = pullRequestId(query, variables);
  if (id === undefined) {
    return failure(
      `Argument 'pullRequestId' on InputObject 'MarkPullRequestReadyForReviewInput' is required.`,
    );
  }
  const found = findPull(req, id);
  if (!found) {
    return failure(`Could not resolve to a node with the global id of '${id}'`, {
      type: 'NOT_FOUND',
      path: [MUTATION],
    });
  }
  const { repo, issue } = found;
  const next: IssueRecord = issue.pullRequest!.draft
    ? { ...issue, pullRequest: { ...issue.pullRequest!, draft: false }, updatedAt: req.now }
    : issue;
  if (next !== issue) repo.issues.set(next.number, next);
  const values: Record<(typeof FIELDS)[number], unknown> = {
    id,
    number: next.number,
    isDraft: false,
    url: `${req.r.html}/${repo.owner}/${repo.name}/pull/${next.number}`,
    state: next.pullRequest!.mergedAt !== null ? 'MERGED' : next.state.toUpperCase(),
  };
  // Only the selected fields, as GraphQL answers (a crude read of the selection set).
  const selection = /pullRequest\s*\{([^}]*)\}/.exec(query)?.[1] ?? '';
  const selected = FIELDS.filter((f) => new RegExp(`\\b${f}\\b`).test(selection));
  const pullRequest = Object.fromEntries(selected.map((f) => [f, values[f]]));
  return ok({ data: { [MUTATION]: { pullRequest } } });
}

export function graphqlReadyRoutes(): RouteDef[] {
  return [routesFor('pullRequests').post('/graphql', DOCS, handle)];
}
