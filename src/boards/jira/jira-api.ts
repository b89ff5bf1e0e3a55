/**
 * What the Jira board needs of Jira, as a narrow interface (tests may pass an object literal),
 * and its implementation over jira.js's typed `Version3Client` (REST API v3, as Octokit is for
 * GitHub). A 429 is waited out (its Retry-After, on the injected clock) a few times when short,
 * else surfaced as JiraRateLimitedError for the daemon to pace on.
 */
import { Version3Client } from 'jira.js';
import type { Clock } from '../../core/clock.js';
import { JiraRateLimitedError, jiraErrorOf } from './jira-errors.js';

export interface JiraIssueData {
  id: string;
  key: string;
  fields: {
    summary?: string;
    description?: unknown;
    labels?: string[];
    status?: { name: string; statusCategory?: { key: string } };
    priority?: { name: string } | null;
    updated?: string;
    issuelinks?: JiraLinkData[];
  };
}

export interface JiraLinkData {
  type: { name: string };
  inwardIssue?: { id: string; key: string; fields?: { status?: { statusCategory?: { key: string } } } };
  outwardIssue?: { id: string; key: string };
}

export interface JiraCommentData {
  id: string;
  author?: { accountId: string };
  body: unknown;
}

export interface JiraTransition {
  id: string;
  name: string;
  to: { name: string };
}

/** Fields the board reads of every issue it lists. */
export const ISSUE_FIELDS = [
  'summary',
  'description',
  'labels',
  'status',
  'priority',
  'updated',
  'issuelinks',
];

export interface JiraApi {
  myself(): Promise<{ accountId: string; displayName: string; timeZone: string }>;
  search(
    jql: string,
    page?: { token?: string; maxResults?: number },
  ): Promise<{ issues: JiraIssueData[]; next: string | null }>;
  issue(idOrKey: string): Promise<JiraIssueData>;
  editLabels(idOrKey: string, change: { add?: string[]; remove?: string[] }): Promise<void>;
  comments(idOrKey: string): Promise<JiraCommentData[]>;
  addComment(idOrKey: string, body: unknown): Promise<JiraCommentData>;
  updateComment(idOrKey: string, id: string, body: unknown): Promise<void>;
  transitions(idOrKey: string): Promise<JiraTransition[]>;
  transition(idOrKey: string, transitionId: string): Promise<void>;
}

export interface JiraApiOptions {
  baseUrl: string;
  /** JIRA_EMAIL + JIRA_API_TOKEN (Jira Cloud), or JIRA_BEARER_TOKEN (a Data Center PAT, OAuth). */
  auth: { email: string; apiToken: string } | { bearer: string };
  clock: Clock;
  /** Waits of at most this long are taken in place of failing (default 30 s). */
  maxRetryWaitMs?: number;
  signal?: AbortSignal;
  /** Told before each wait on a 429 (the daemon's `rate-limited` notification). */
  onLimit?: (info: { what: string; retryAfterMs: number }) => void;
}

const RETRIES = 3;

export function jiraApiFor(o: JiraApiOptions): JiraApi {
  // A bearer token as a default header: jira.js's oauth2 option would route through api.atlassian.com.
  const client =
    'bearer' in o.auth
      ? new Version3Client({
          host: o.baseUrl,
          baseRequestConfig: { headers: { Authorization: `Bearer ${o.auth.bearer}` } },
        })
      : new Version3Client({ host: o.baseUrl, authentication: { basic: { ...o.auth } } });
  const maxWait = o.maxRetryWaitMs ?? 30_000;
  const call = async <T>(what: string, run: () => Promise<T>): Promise<T> => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await run();
      } catch (error) {
        const mapped = jiraErrorOf(error, what);
        if (!(mapped instanceof JiraRateLimitedError) || attempt >= RETRIES || mapped.retryAfterMs > maxWait)
          throw mapped;
        o.onLimit?.({ what, retryAfterMs: mapped.retryAfterMs });
        await o.clock.sleep(mapped.retryAfterMs, o.signal);
      }
    }
  };
  return {
    myself: () =>
      call('GET myself', async () => {
        const me = await client.myself.getCurrentUser();
        return {
          accountId: me.accountId ?? '',
          displayName: me.displayName ?? '',
          timeZone: me.timeZone ?? 'UTC',
        };
      }),
    search: (jql, page = {}) =>
      call('a JQL search', async () => {
        const found = await client.issueSearch.searchForIssuesUsingJqlEnhancedSearchPost({
          jql,
          fields: ISSUE_FIELDS,
          maxResults: page.maxResults ?? 100,
          ...(page.token ? { nextPageToken: page.token } : {}),
        });
        return { issues: (found.issues ?? []) as JiraIssueData[], next: found.nextPageToken ?? null };
      }),
    issue: (idOrKey) =>
      call(`GET issue ${idOrKey}`, async () => {
        const got = await client.issues.getIssue({ issueIdOrKey: idOrKey, fields: ISSUE_FIELDS });
        return got as unknown as JiraIssueData;
      }),
    editLabels: (idOrKey, { add = [], remove = [] }) =>
      call(`labels of ${idOrKey}`, async () => {
        const labels = [...add.map((l) => ({ add: l })), ...remove.map((l) => ({ remove: l }))];
        await client.issues.editIssue({ issueIdOrKey: idOrKey, update: { labels }, notifyUsers: false });
      }),
    comments: (idOrKey) =>
      call(`comments of ${idOrKey}`, async () => {
        const all: JiraCommentData[] = [];
        for (let startAt = 0; ; ) {
          const page = await client.issueComments.getComments({
            issueIdOrKey: idOrKey,
            startAt,
            maxResults: 100,
          });
          const got = (page.comments ?? []) as JiraCommentData[];
          all.push(...got);
          startAt += got.length;
          if (got.length === 0 || startAt >= (page.total ?? 0)) return all;
        }
      }),
    addComment: (idOrKey, body) =>
      call(`a comment on ${idOrKey}`, async () => {
        const made = await client.issueComments.addComment({ issueIdOrKey: idOrKey, comment: body as never });
        return made as unknown as JiraCommentData;
      }),
    updateComment: (idOrKey, id, body) =>
      call(`comment ${id} of ${idOrKey}`, async () => {
        await client.issueComments.updateComment({
          issueIdOrKey: idOrKey,
          id,
          body: body as never,
          notifyUsers: false,
        });
      }),
    transitions: (idOrKey) =>
      call(`transitions of ${idOrKey}`, async () => {
        const got = await client.issues.getTransitions({ issueIdOrKey: idOrKey });
        return (got.transitions ?? []).flatMap((t) =>
          t.id && t.name && t.to?.name ? [{ id: t.id, name: t.name, to: { name: t.to.name } }] : [],
        );
      }),
    transition: (idOrKey, transitionId) =>
      call(`a transition of ${idOrKey}`, async () => {
        await client.issues.doTransition({ issueIdOrKey: idOrKey, transition: { id: transitionId } });
      }),
  };
}
