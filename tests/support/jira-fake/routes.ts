/**
 * The REST v3 endpoints the Jira board speaks. Errors are Jira's `{ errorMessages, errors }`.
 * Label edits follow Get/Edit issue: `update.labels` takes `[{ add }, { remove }, { set }]`,
 * `fields.labels` replaces the set; a label with a space is refused (Jira's label rule).
 */

import { JqlError, parseJql } from './jql.js';
import type { FakeIssue, JiraModel } from './model.js';
import type { Renderer } from './render.js';

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export class JiraHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: Record<string, string> = {},
  ) {
    super(message);
  }
  reply(): Reply {
    return {
      status: this.status,
      body: { errorMessages: this.message ? [this.message] : [], errors: this.errors },
    };
  }
}

const NO_ISSUE = 'Issue does not exist or you do not have permission to see it.';

export interface RouteContext {
  model: JiraModel;
  render: Renderer;
  accountId: string;
  method: string;
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown> | undefined;
}

const listOf = (v: unknown): string[] =>
  Array.isArray(v) ? v.map(String) : typeof v === 'string' && v ? v.split(',').map((s) => s.trim()) : [];

export function route(c: RouteContext): Reply {
  const { method, path, model } = c;
  if (method === 'GET' && path === '/rest/api/3/myself') {
    return {
      status: 200,
      body: { ...c.render.account(c.accountId), timeZone: model.timeZone, locale: 'en_US' },
    };
  }
  if (path === '/rest/api/3/search/jql' && (method === 'GET' || method === 'POST')) return search(c);
  if (path === '/rest/api/3/issueLink' && method === 'POST') return createLink(c);
  const m = /^\/rest\/api\/3\/issue\/([^/]+)(?:\/(comment|transitions)(?:\/([^/]+))?)?$/.exec(path);
  if (!m) throw new JiraHttpError(404, `No route for ${method} ${path} in the Jira fake.`);
  const issue = model.find(decodeURIComponent(m[1]!));
  if (!issue) throw new JiraHttpError(404, NO_ISSUE);
  if (!m[2]) {
    if (method === 'GET') {
      const fields = c.query.get('fields');
      return { status: 200, body: c.render.issue(issue, fields ? listOf(fields) : ['*all']) };
    }
    if (method === 'PUT') return editIssue(c, issue);
  }
  if (m[2] === 'comment') return comments(c, issue, m[3]);
  if (m[2] === 'transitions' && !m[3]) return transitions(c, issue);
  throw new JiraHttpError(405, `${method} ${path} is not supported by the Jira fake.`);
}

function search(c: RouteContext): Reply {
  const get = (name: string) => (c.method === 'POST' ? c.body?.[name] : (c.query.get(name) ?? undefined));
  const jql = String(get('jql') ?? '');
  let query: ReturnType<typeof parseJql>;
  try {
    query = parseJql(jql, (literal) => c.model.zonedMs(literal));
  } catch (error) {
    if (error instanceof JqlError) throw new JiraHttpError(400, error.message);
    throw error;
  }
  // Unbounded queries are refused by the enhanced search (it needs a restriction).
  if (!query.where)
    throw new JiraHttpError(
      400,
      'Unbounded JQL queries are not allowed here. Please add a search restriction to your query.',
    );
  const where = query.where;
  const hits = [...c.model.issues.values()].filter((issue) => where(issue));
  hits.sort((a, b) => {
    for (const { field, desc } of query.orderBy.length ? query.orderBy : [{ field: 'created', desc: true }]) {
      const d = sortKey(a, field) - sortKey(b, field);
      if (d !== 0) return desc ? -d : d;
    }
    return Number(a.id) - Number(b.id);
  });
  const maxResults = Math.min(Number(get('maxResults') ?? 50) || 50, 5000);
  const token = get('nextPageToken');
  const start = token ? Number(Buffer.from(String(token), 'base64url').toString()) : 0;
  const page = hits.slice(start, start + maxResults);
  const isLast = start + maxResults >= hits.length;
  const fields = listOf(get('fields'));
  return {
    status: 200,
    body: {
      issues: page.map((issue) => c.render.issue(issue, fields)),
      ...(isLast ? {} : { nextPageToken: Buffer.from(String(start + maxResults)).toString('base64url') }),
      isLast,
    },
  };
}

function sortKey(issue: FakeIssue, field: string): number {
  if (field === 'updated') return issue.updatedMs;
  if (field === 'created') return issue.createdMs;
  if (field === 'key' || field === 'id') return Number(issue.id);
  throw new JiraHttpError(400, `Field '${field}' does not exist or you do not have permission to view it.`);
}

function checkLabel(label: unknown): string {
  if (typeof label !== 'string' || label === '')
    throw new JiraHttpError(400, '', { labels: 'A label is empty.' });
  if (/\s/.test(label)) {
    throw new JiraHttpError(400, '', { labels: `The label '${label}' contains spaces which is invalid.` });
  }
  return label;
}

function editIssue(c: RouteContext, issue: FakeIssue): Reply {
  const fields = (c.body?.fields ?? {}) as Record<string, unknown>;
  const update = (c.body?.update ?? {}) as Record<string, unknown>;
  let labels = [...issue.labels];
  if (fields.labels !== undefined) labels = (fields.labels as unknown[]).map(checkLabel);
  for (const op of (update.labels ?? []) as Record<string, unknown>[]) {
    if (op.add !== undefined) {
      const add = checkLabel(op.add);
      if (!labels.includes(add)) labels.push(add);
    } else if (op.remove !== undefined) {
      labels = labels.filter((l) => l !== op.remove);
    } else if (op.set !== undefined) {
      labels = (op.set as unknown[]).map(checkLabel);
    }
  }
  if (typeof fields.summary === 'string') issue.summary = fields.summary;
  const changed = labels.join('\n') !== issue.labels.join('\n') || typeof fields.summary === 'string';
  issue.labels = labels;
  if (changed) c.model.touch(issue);
  return { status: 204 };
}

function comments(c: RouteContext, issue: FakeIssue, commentId: string | undefined): Reply {
  const { model, render } = c;
  if (c.method === 'GET' && !commentId) {
    const startAt = Number(c.query.get('startAt') ?? 0);
    const maxResults = Math.min(Number(c.query.get('maxResults') ?? 5000), 5000);
    const page = issue.comments.slice(startAt, startAt + maxResults);
    return {
      status: 200,
      body: {
        startAt,
        maxResults,
        total: issue.comments.length,
        comments: page.map((x) => render.comment(issue, x)),
      },
    };
  }
  const body = c.body?.body;
  if (c.method === 'POST' && !commentId) {
    if (body === undefined) throw new JiraHttpError(400, '', { comment: 'Comment body can not be empty!' });
    const at = model.stamp();
    const comment = {
      id: String(20_000 + model.links.length + countComments(model)),
      authorId: c.accountId,
      body,
      createdMs: at,
      updatedMs: at,
    };
    issue.comments.push(comment);
    model.touch(issue);
    return { status: 201, body: render.comment(issue, comment) };
  }
  const comment = issue.comments.find((x) => x.id === commentId);
  if (!comment) throw new JiraHttpError(404, `Can not find a comment for the id: ${commentId}.`);
  if (c.method === 'GET') return { status: 200, body: render.comment(issue, comment) };
  if (c.method === 'PUT') {
    if (comment.authorId !== c.accountId)
      throw new JiraHttpError(403, 'You do not have the permission to edit this comment.');
    comment.body = body;
    comment.updatedMs = model.stamp();
    model.touch(issue);
    return { status: 200, body: render.comment(issue, comment) };
  }
  throw new JiraHttpError(405, `${c.method} on a comment is not supported by the Jira fake.`);
}

function countComments(model: JiraModel): number {
  let n = 0;
  for (const issue of model.issues.values()) n += issue.comments.length;
  return n;
}

function transitions(c: RouteContext, issue: FakeIssue): Reply {
  const list = c.render.transitions(issue).transitions;
  if (c.method === 'GET') return { status: 200, body: c.render.transitions(issue) };
  if (c.method !== 'POST') throw new JiraHttpError(405, `${c.method} transitions is not supported.`);
  const id = String((c.body?.transition as { id?: unknown } | undefined)?.id ?? '');
  const chosen = list.find((t) => t.id === id);
  if (!chosen) throw new JiraHttpError(400, `Transition id '${id}' is not valid for this issue.`);
  c.model.setStatus(issue, chosen.to.name);
  return { status: 204 };
}

/** Create issue link: only "Blocks"; `inwardIssue` blocks `outwardIssue` (see model.ts FakeLink). */
function createLink(c: RouteContext): Reply {
  const name = (c.body?.type as { name?: unknown } | undefined)?.name;
  if (name !== 'Blocks')
    throw new JiraHttpError(404, `No issue link type with name '${String(name)}' found.`);
  const keyOf = (v: unknown) =>
    String((v as { key?: unknown; id?: unknown } | undefined)?.key ?? (v as { id?: unknown })?.id);
  const inward = c.model.find(keyOf(c.body?.inwardIssue));
  const outward = c.model.find(keyOf(c.body?.outwardIssue));
  if (!inward || !outward) throw new JiraHttpError(404, NO_ISSUE);
  c.model.link(inward, outward);
  return { status: 201 };
}
