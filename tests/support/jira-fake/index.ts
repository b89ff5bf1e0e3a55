/**
 * A stateful Jira Cloud fake over real HTTP on 127.0.0.1, for the Jira board's tests: JQL search
 * (a subset, minute-resolution dates in the user's time zone), issue get/edit (labels), comments
 * (add, edit, list), transitions (list, do) over a configurable workflow, "Blocks" links, basic
 * (email + API token) and bearer auth, and 429 with Retry-After on demand. Point jira.js's
 * `Version3Client` at `url`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { adfOf, type FakeIssue, JiraModel, type Workflow } from './model.js';
import { type Account, Renderer } from './render.js';
import { JiraHttpError, type Reply, route } from './routes.js';

export type { FakeComment, FakeIssue, Workflow } from './model.js';
export { adfOf };

export interface FakeJiraOptions {
  /** Clock of `updated`/`created` (default Date.now); stored at second resolution. */
  now?: () => number;
  /** The API user's time zone: JQL dates are read in it (default UTC). */
  timeZone?: string;
}

export interface FakeJiraUser extends Account {
  email: string;
  apiToken: string;
  /** Also accepted as `Authorization: Bearer <token>` (a Data Center personal access token). */
  bearer?: string;
}

export const DEFAULT_USER: FakeJiraUser = {
  accountId: '5b10ac8d82e05b22cc7d4ef5',
  displayName: 'Codex Bot',
  email: 'bot@example.com',
  apiToken: 'jira-test-token',
  bearer: 'jira-test-pat',
};

export interface FakeJira {
  readonly url: string;
  readonly model: JiraModel;
  /** Creates an issue as a person would in the UI (description as plain text → ADF). */
  create(input: Parameters<JiraModel['create']>[0]): FakeIssue;
  issue(key: string): FakeIssue;
  /** `blocker` blocks `blocked` (a "Blocks" link). */
  link(blocker: string, blocked: string): void;
  addUser(user: FakeJiraUser): void;
  setWorkflow(workflow: Workflow): void;
  /** The next `count` requests are answered 429 with `Retry-After: retryAfterSeconds`. */
  throttle(count: number, retryAfterSeconds: number): void;
  /** Requests answered so far, as `METHOD /path` (status included), for assertions. */
  readonly requests: { method: string; path: string; status: number }[];
  close(): Promise<void>;
}

export async function startFakeJira(options: FakeJiraOptions = {}): Promise<FakeJira> {
  const model = new JiraModel(options.now ?? Date.now, options.timeZone ?? 'UTC');
  const users = new Map<string, FakeJiraUser>([[DEFAULT_USER.accountId, DEFAULT_USER]]);
  let url = '';
  const render = new Renderer(model, () => url, users);
  const requests: FakeJira['requests'] = [];
  let throttled = { count: 0, retryAfter: 0 };

  const authenticate = (header: string | undefined): string | null => {
    if (!header) return null;
    const [scheme, value = ''] = header.split(' ');
    for (const user of users.values()) {
      if (scheme === 'Bearer' && user.bearer !== undefined && value === user.bearer) return user.accountId;
      if (scheme === 'Basic' && Buffer.from(value, 'base64').toString() === `${user.email}:${user.apiToken}`)
        return user.accountId;
    }
    return null;
  };

  const answer = async (req: IncomingMessage): Promise<Reply> => {
    if (throttled.count > 0) {
      throttled.count--;
      // https://developer.atlassian.com/cloud/jira/platform/rate-limiting/: 429 with Retry-After (seconds).
      return {
        status: 429,
        headers: { 'retry-after': String(throttled.retryAfter) },
        body: { errorMessages: ['Rate limit exceeded.'], errors: {} },
      };
    }
    const accountId = authenticate(req.headers.authorization);
    if (!accountId) {
      return {
        status: 401,
        body: { errorMessages: ['Client must be authenticated to access this resource.'], errors: {} },
      };
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: Record<string, unknown> | undefined;
    try {
      body = text.trim() ? (JSON.parse(text) as Record<string, unknown>) : undefined;
    } catch {
      return {
        status: 400,
        body: { errorMessages: ['Unexpected character in the request body.'], errors: {} },
      };
    }
    const parsed = new URL(req.url ?? '/', 'http://fake');
    try {
      return route({
        model,
        render,
        accountId,
        method: req.method ?? 'GET',
        path: parsed.pathname,
        query: parsed.searchParams,
        body,
      });
    } catch (error) {
      if (error instanceof JiraHttpError) return error.reply();
      throw error;
    }
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    answer(req)
      .catch(
        (error: unknown): Reply => ({ status: 500, body: { errorMessages: [String(error)], errors: {} } }),
      )
      .then((reply) => {
        requests.push({
          method: req.method ?? 'GET',
          path: new URL(req.url ?? '/', 'http://f').pathname,
          status: reply.status,
        });
        const headers: Record<string, string> = { ...reply.headers };
        if (reply.body !== undefined) headers['content-type'] = 'application/json;charset=UTF-8';
        res.writeHead(reply.status, headers);
        res.end(reply.body === undefined ? undefined : JSON.stringify(reply.body));
      });
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let closing: Promise<void> | undefined;

  const fake: FakeJira = {
    url,
    model,
    requests,
    create: (input) => model.create(input),
    issue(key) {
      const issue = model.find(key);
      if (!issue) throw new Error(`the Jira fake has no issue ${key}`);
      return issue;
    },
    link(blocker, blocked) {
      model.link(fake.issue(blocker), fake.issue(blocked));
    },
    addUser: (user) => users.set(user.accountId, user),
    setWorkflow(workflow) {
      model.workflow = workflow;
    },
    throttle(count, retryAfterSeconds) {
      throttled = { count, retryAfter: retryAfterSeconds };
    },
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
  return fake;
}
