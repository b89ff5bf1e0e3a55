/**
 * The JQL subset the Jira board sends and teams commonly write in JIRA_JQL: `AND`, `OR`, `NOT`,
 * parentheses; `project`, `labels`, `status`, `statusCategory`, `key` with `=`, `!=`, `in`,
 * `not in`, `is EMPTY`; `updated` with `>=`, `>`, `<=`, `<` and a date literal; `ORDER BY`
 * `updated` / `created` / `key`. Anything else is answered 400 as Jira does, naming the clause
 * (https://support.atlassian.com/jira-software-cloud/docs/jql-fields/).
 *
 * Dates: JQL accepts "yyyy/MM/dd HH:mm", "yyyy-MM-dd HH:mm", "yyyy/MM/dd" and "yyyy-MM-dd",
 * read in the searching user's time zone, at MINUTE resolution: `updated >= "2026/11/30 08:03"`
 * is `updated >= 08:03:00.000` local time (https://support.atlassian.com/jira-software-cloud/docs/jql-fields/#Updated).
 */
import type { FakeIssue } from './model.js';

export class JqlError extends Error {}

type Value = string | string[] | null;
type Node =
  | { op: 'and' | 'or'; left: Node; right: Node }
  | { op: 'not'; inner: Node }
  | { op: 'clause'; field: string; cmp: string; value: Value };

export interface Query {
  where: ((issue: FakeIssue) => boolean) | null;
  orderBy: { field: string; desc: boolean }[];
}

const TOKEN = /\s*("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|>=|<=|!=|[=<>(),]|[^\s=<>!(),"']+)/y;

function tokenize(jql: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < jql.length) {
    if (/^\s*$/.test(jql.slice(TOKEN.lastIndex))) break;
    const m = TOKEN.exec(jql);
    if (!m) throw new JqlError(`Error in the JQL Query: unexpected text at ${TOKEN.lastIndex}.`);
    tokens.push(m[1]!);
  }
  return tokens;
}

const unquote = (t: string) => (/^["']/.test(t) ? t.slice(1, -1).replace(/\\(.)/g, '$1') : t);

/** Parses `jql`; `zonedMs` reads a date literal in the searching user's time zone. */
export function parseJql(jql: string, zonedMs: (literal: string) => number): Query {
  const t = tokenize(jql);
  let i = 0;
  const peek = () => t[i]?.toLowerCase();
  const next = () => {
    const token = t[i++];
    if (token === undefined) throw new JqlError('Error in the JQL Query: the query ended too early.');
    return token;
  };
  const expr = (): Node => {
    let left = term();
    while (peek() === 'or') {
      i++;
      left = { op: 'or', left, right: term() };
    }
    return left;
  };
  const term = (): Node => {
    let left = factor();
    while (peek() === 'and') {
      i++;
      left = { op: 'and', left, right: factor() };
    }
    return left;
  };
  const factor = (): Node => {
    if (peek() === 'not') {
      i++;
      return { op: 'not', inner: factor() };
    }
    if (peek() === '(') {
      i++;
      const inner = expr();
      if (next() !== ')') throw new JqlError("Error in the JQL Query: expecting ')'.");
      return inner;
    }
    const field = unquote(next()).toLowerCase();
    let cmp = next().toLowerCase();
    if (cmp === 'not' || cmp === 'is') {
      const second = next().toLowerCase();
      cmp = `${cmp} ${second}`;
      if (cmp === 'is not') cmp = `is not ${next().toLowerCase()}`;
    }
    if (cmp === 'is empty' || cmp === 'is not empty') return { op: 'clause', field, cmp, value: null };
    if (cmp === 'in' || cmp === 'not in') {
      if (next() !== '(') throw new JqlError(`Error in the JQL Query: expecting '(' after ${cmp}.`);
      const list: string[] = [];
      while (peek() !== ')') {
        list.push(unquote(next()));
        if (peek() === ',') i++;
      }
      i++;
      return { op: 'clause', field, cmp, value: list };
    }
    return { op: 'clause', field, cmp, value: unquote(next()) };
  };
  let root: Node | null = null;
  if (peek() !== 'order') root = expr();
  const orderBy: Query['orderBy'] = [];
  if (peek() === 'order') {
    i++;
    if (next().toLowerCase() !== 'by') throw new JqlError("Error in the JQL Query: expecting 'by'.");
    while (i < t.length) {
      const field = next().toLowerCase();
      const dir = peek();
      const desc = dir === 'desc';
      if (dir === 'asc' || dir === 'desc') i++;
      orderBy.push({ field, desc });
      if (peek() === ',') i++;
    }
  }
  if (i < t.length) throw new JqlError(`Error in the JQL Query: unexpected ${JSON.stringify(t[i])}.`);
  return { where: root ? compile(root, zonedMs) : null, orderBy };
}

function compile(node: Node, zonedMs: (literal: string) => number): (issue: FakeIssue) => boolean {
  if (node.op === 'not') {
    const inner = compile(node.inner, zonedMs);
    return (x) => !inner(x);
  }
  if (node.op !== 'clause') {
    const l = compile(node.left, zonedMs);
    const r = compile(node.right, zonedMs);
    return node.op === 'and' ? (x) => l(x) && r(x) : (x) => l(x) || r(x);
  }
  const { field, cmp, value } = node;
  if (field === 'updated' || field === 'created') {
    if (typeof value !== 'string') throw new JqlError(`Error in the JQL Query: ${field} needs a date.`);
    const at = zonedMs(value);
    const get = (x: FakeIssue) => (field === 'updated' ? x.updatedMs : x.createdMs);
    const compare: Record<string, (a: number) => boolean> = {
      '>=': (a) => a >= at,
      '>': (a) => a > at,
      '<=': (a) => a <= at,
      '<': (a) => a < at,
    };
    const test = compare[cmp];
    if (!test)
      throw new JqlError(`Error in the JQL Query: the operator '${cmp}' is not supported by ${field}.`);
    return (x) => test(get(x));
  }
  if (!['project', 'key', 'issuekey', 'labels', 'status', 'statuscategory'].includes(field)) {
    throw new JqlError(`Field '${field}' does not exist or you do not have permission to view it.`);
  }
  const values = (x: FakeIssue): string[] => {
    switch (field) {
      case 'project':
        return [x.project];
      case 'key':
      case 'issuekey':
        return [x.key, x.id];
      case 'labels':
        return x.labels;
      case 'status':
        return [x.status];
      default:
        return [x.statusCategory === 'done' ? 'Done' : x.statusCategory === 'new' ? 'To Do' : 'In Progress'];
    }
  };
  const has = (x: FakeIssue, v: string) => values(x).some((have) => have.toLowerCase() === v.toLowerCase());
  switch (cmp) {
    case '=':
      return (x) => has(x, value as string);
    case '!=':
      return (x) => !has(x, value as string);
    case 'in':
      return (x) => (value as string[]).some((v) => has(x, v));
    case 'not in':
      return (x) => !(value as string[]).some((v) => has(x, v));
    case 'is empty':
      return (x) => values(x).length === 0;
    case 'is not empty':
      return (x) => values(x).length > 0;
    default:
      throw new JqlError(`Error in the JQL Query: the operator '${cmp}' is not supported by ${field}.`);
  }
}

/** "yyyy/MM/dd HH:mm" (or with dashes, or a date alone) as its parts; JqlError when not a date. */
export function dateLiteral(literal: string): [number, number, number, number, number] {
  const m = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:\s+(\d{1,2}):(\d{2}))?$/.exec(literal.trim());
  if (!m) {
    throw new JqlError(
      `Date value '${literal}' for field 'updated' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd'.`,
    );
  }
  return [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0)];
}
