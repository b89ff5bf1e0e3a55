/**
 * Pull request reviews: list, get, create (APPROVE, REQUEST_CHANGES, COMMENT, or PENDING without
 * an event), dismiss. The refusals are GitHub's `validation-error-simple` 422s: an author cannot
 * approve or request changes on their own pull request, one pending review per user, only an
 * approval or a change request can be dismissed.
 */
import { iso } from '../clock.js';
import { GitHubError, notFound, objectBody } from '../http.js';
import type { RepoRecord, ReviewRecord, ReviewState } from '../model/records.js';
import { paginate } from '../pagination.js';
import { nodeId, type Renderer, renderUser, repoApi } from '../render/render.js';
import { viewPull } from '../render/render-pull.js';
import { intParam, listed, ok, type RouteDef, type RouteRequest, routesFor, stringField } from './context.js';
import { associationOf } from './issue-model.js';
import { branchesOf, mustPull } from './pull-model.js';

const D = {
  list: 'pulls/reviews#list-reviews-for-a-pull-request',
  get: 'pulls/reviews#get-a-review-for-a-pull-request',
  create: 'pulls/reviews#create-a-review-for-a-pull-request',
  dismiss: 'pulls/reviews#dismiss-a-review-for-a-pull-request',
};

const EVENTS: Record<string, ReviewState> = {
  APPROVE: 'APPROVED',
  REQUEST_CHANGES: 'CHANGES_REQUESTED',
  COMMENT: 'COMMENTED',
};

/** GitHub answers these refusals as `{message: "Unprocessable Entity", errors: ["…"]}`. */
const refused = (message: string, docs: string) =>
  new GitHubError(422, 'Unprocessable Entity', { errors: [message], docs });

export function renderReview(r: Renderer, repo: RepoRecord, review: ReviewRecord) {
  const pullUrl = `${repoApi(r, repo)}/pulls/${review.pullNumber}`;
  const html = `${r.html}/${repo.owner}/${repo.name}/pull/${review.pullNumber}#pullrequestreview-${review.id}`;
  const out: Record<string, unknown> = {
    id: review.id,
    node_id: nodeId('PullRequestReview', review.id),
    user: renderUser(r, review.user),
    body: review.body,
    state: review.state,
    html_url: html,
    pull_request_url: pullUrl,
    author_association: review.authorAssociation,
    _links: { html: { href: html }, pull_request: { href: pullUrl } },
    commit_id: review.commitId,
  };
  // GitHub leaves `submitted_at` out of a pending review.
  if (review.submittedAt !== null) out.submitted_at = iso(review.submittedAt);
  return out;
}

/** A pending review is visible only to its author, as on GitHub. */
const visibleTo = (req: RouteRequest, review: ReviewRecord) =>
  review.state !== 'PENDING' || review.user === (req.profile.login ?? 'test-user');

function mustReview(req: RouteRequest, docs: string) {
  const { repo, issue } = mustPull(req, docs);
  const review = repo.reviews.get(intParam(req.params.review_id), req.asOf);
  if (!review || review.pullNumber !== issue.number || !visibleTo(req, review)) throw notFound(docs);
  return { repo, review };
}

function listReviews(req: RouteRequest) {
  const { repo, issue } = mustPull(req, D.list);
  const all = repo.reviews
    .values(req.asOf)
    .filter((x) => x.pullNumber === issue.number && visibleTo(req, x))
    .sort((a, b) => a.id - b.id);
  const page = paginate(all, req.query, req.linkBase);
  return listed(
    page.items.map((x) => renderReview(req.r, repo, x)),
    page.link,
  );
}

function createReview(req: RouteRequest) {
  const { repo, issue } = mustPull(req, D.create);
  const body = objectBody(req.body);
  const event = stringField(body, 'event', D.create);
  const text = stringField(body, 'body', D.create) ?? '';
  const commitId = stringField(body, 'commit_id', D.create);
  const login = req.profile.login ?? 'test-user';
  if (event !== undefined && !(event in EVENTS)) {
    throw new GitHubError(
      422,
      `Invalid request.\n\nFor 'event', ${JSON.stringify(event)} is not one of APPROVE, REQUEST_CHANGES, COMMENT.`,
      { docs: D.create },
    );
  }
  if (issue.user === login && event === 'APPROVE')
    throw refused('Can not approve your own pull request', D.create);
  if (issue.user === login && event === 'REQUEST_CHANGES') {
    throw refused('Can not request changes on your own pull request', D.create);
  }
  if ((event === 'REQUEST_CHANGES' || event === 'COMMENT') && text.trim() === '') {
    // Documented: the body is required for REQUEST_CHANGES and COMMENT (the wording is the fake's).
    throw refused(`Body is required for a ${event} review`, D.create);
  }
  if (event === undefined) {
    const pending = repo.reviews
      .values()
      .some((x) => x.pullNumber === issue.number && x.user === login && x.state === 'PENDING');
    if (pending) throw refused('User can only have one pending review per pull request', D.create);
  }
  const head = viewPull(repo, issue, branchesOf(req, repo)).headSha;
  const review: ReviewRecord = {
    id: req.store.nextCommentId(),
    pullNumber: issue.number,
    user: login,
    authorAssociation: associationOf(req.profile, repo),
    body: text,
    state: event === undefined ? 'PENDING' : EVENTS[event]!,
    commitId: commitId ?? head,
    submittedAt: event === undefined ? null : req.now,
  };
  repo.reviews.set(review.id, review);
  return ok(renderReview(req.r, repo, review));
}

function dismissReview(req: RouteRequest) {
  const { repo, review } = mustReview(req, D.dismiss);
  const body = objectBody(req.body);
  const message = stringField(body, 'message', D.dismiss);
  if (message === undefined || message === '') {
    throw new GitHubError(422, 'Invalid request.\n\n"message" wasn\'t supplied.', { docs: D.dismiss });
  }
  if (review.state === 'PENDING') throw refused('Can not dismiss a pending pull request review', D.dismiss);
  if (review.state === 'COMMENTED')
    throw refused('Can not dismiss a commented pull request review', D.dismiss);
  const next: ReviewRecord = { ...review, state: 'DISMISSED' };
  repo.reviews.set(next.id, next);
  return ok(renderReview(req.r, repo, next));
}

export function reviewRoutes(): RouteDef[] {
  const route = routesFor('pullRequests');
  const p = '/repos/{owner}/{repo}/pulls/{pull_number}/reviews';
  return [
    route.get(p, D.list, listReviews),
    route.post(p, D.create, createReview, { contentCreating: true }),
    route.get(`${p}/{review_id}`, D.get, (req) => {
      const { repo, review } = mustReview(req, D.get);
      return ok(renderReview(req.r, repo, review));
    }),
    route.put(`${p}/{review_id}/dismissals`, D.dismiss, dismissReview),
  ];
}
