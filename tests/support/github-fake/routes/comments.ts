/** Issue comments: list per issue and per repository, get, create, edit, delete. */
import { parseSeconds } from '../clock.js';
import { GitHubError, notFound, objectBody, validationFailed } from '../http.js';
import type { CommentRecord, RepoRecord } from '../model/records.js';
import { paginate } from '../pagination.js';
import { renderComment } from '../render/render.js';
import {
  BODY_LIMIT,
  charCount,
  intParam,
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
import { associationOf } from './issue-model.js';

const D = {
  list: 'issues/comments#list-issue-comments',
  listRepo: 'issues/comments#list-issue-comments-for-a-repository',
  get: 'issues/comments#get-an-issue-comment',
  create: 'issues/comments#create-an-issue-comment',
  update: 'issues/comments#update-an-issue-comment',
  remove: 'issues/comments#delete-an-issue-comment',
};

/** The body of a create or edit, checked against GitHub's 65,536-character limit. */
function commentBody(req: RouteRequest, docs: string): string {
  const text = stringField(objectBody(req.body), 'body', docs);
  if (text === undefined || text === '') {
    throw new GitHubError(422, 'Invalid request.\n\n"body" wasn\'t supplied.', { docs });
  }
  if (charCount(text) > BODY_LIMIT) {
    throw validationFailed(
      [
        {
          resource: 'IssueComment',
          code: 'unprocessable',
          field: 'data',
          message: 'Body is too long (maximum is 65536 characters)',
        },
      ],
      docs,
    );
  }
  return text;
}

function mustComment(req: RouteRequest, docs: string): { repo: RepoRecord; comment: CommentRecord } {
  const repo = mustRepo(req);
  const comment = repo.comments.get(intParam(req.params.comment_id), req.asOf);
  if (!comment) throw notFound(docs);
  return { repo, comment };
}

function list(req: RouteRequest, repo: RepoRecord, comments: CommentRecord[]) {
  const since = parseSeconds(req.query.get('since'));
  const filtered = Number.isNaN(since) ? comments : comments.filter((c) => c.updatedAt >= since);
  const page = paginate(filtered, req.query, req.linkBase);
  const body = page.items.map((c) => renderComment(req.r, repo, c));
  return listed(body, page.link);
}

function createComment(req: RouteRequest) {
  const { repo, issue } = mustIssue(req, D.create);
  const body = commentBody(req, D.create);
  const comment: CommentRecord = {
    id: req.store.nextCommentId(),
    issueNumber: issue.number,
    body,
    user: req.profile.login ?? 'test-user',
    authorAssociation: associationOf(req.profile, repo),
    createdAt: req.now,
    updatedAt: req.now,
  };
  repo.comments.set(comment.id, comment);
  // A new comment bumps the issue's comment count and updated_at, as on GitHub.
  repo.issues.set(issue.number, { ...issue, comments: issue.comments + 1, updatedAt: req.now });
  const rendered = renderComment(req.r, repo, comment);
  return { status: 201, body: rendered, headers: { location: rendered.url } };
}

export function commentRoutes(): RouteDef[] {
  const route = routesFor('issues');
  const c = '/repos/{owner}/{repo}/issues/comments';
  return [
    route.get('/repos/{owner}/{repo}/issues/{issue_number}/comments', D.list, (req) => {
      const { repo, issue } = mustIssue(req, D.list);
      const all = repo.comments
        .values(req.asOf)
        .filter((x) => x.issueNumber === issue.number)
        .sort((a, b) => a.id - b.id);
      return list(req, repo, all);
    }),
    route.post('/repos/{owner}/{repo}/issues/{issue_number}/comments', D.create, createComment, {
      contentCreating: true,
    }),
    route.get(c, D.listRepo, (req) => {
      const repo = mustRepo(req);
      const byUpdated = req.query.get('sort') === 'updated';
      const sign = req.query.get('direction') === 'desc' ? -1 : 1;
      const all = repo.comments
        .values(req.asOf)
        .sort((a, b) => sign * ((byUpdated ? a.updatedAt - b.updatedAt : 0) || a.id - b.id));
      return list(req, repo, all);
    }),
    route.get(`${c}/{comment_id}`, D.get, (req) => {
      const { repo, comment } = mustComment(req, D.get);
      return ok(renderComment(req.r, repo, comment));
    }),
    route.patch(`${c}/{comment_id}`, D.update, (req) => {
      const { repo, comment } = mustComment(req, D.update);
      const body = commentBody(req, D.update);
      // Editing a comment does not move the issue's updated_at here (see docs/github-fake.md).
      const next = body === comment.body ? comment : { ...comment, body, updatedAt: req.now };
      repo.comments.set(next.id, next);
      return ok(renderComment(req.r, repo, next));
    }),
    route.delete(`${c}/{comment_id}`, D.remove, (req) => {
      const { repo, comment } = mustComment(req, D.remove);
      repo.comments.delete(comment.id);
      const issue = repo.issues.get(comment.issueNumber);
      if (issue) repo.issues.set(issue.number, { ...issue, comments: Math.max(0, issue.comments - 1) });
      return noContent();
    }),
  ];
}
