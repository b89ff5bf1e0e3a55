/**
 * The Jira client (jira.js under the board's narrow JiraApi) against the Jira fake over real HTTP:
 * auth, the JQL subset with minute-resolution dates in the user's zone, labels, comments,
 * transitions, links and 429 with Retry-After.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JiraApi, jiraApiFor } from '../../src/boards/jira/jira-api.js';
import type { Clock } from '../../src/core/clock.js';
import { DEFAULT_USER, type FakeJira, startFakeJira } from '../support/jira-fake/index.js';

/** A clock whose sleeps return at once, recording what was asked. */
function recordingClock(): Clock & { slept: number[] } {
  const slept: number[] = [];
  return {
    slept,
    now: () => Date.now(),
    monotonic: () => performance.now(),
    sleep: async (ms) => void slept.push(ms),
  };
}

describe('JiraApi over jira.js against the Jira fake', () => {
  let fake: FakeJira;
  let api: JiraApi;
  let now = Date.UTC(2026, 10, 30, 8, 3, 26, 700);
  const clock = recordingClock();
  beforeAll(async () => {
    fake = await startFakeJira({ now: () => now, timeZone: 'Europe/Berlin' });
    api = jiraApiFor({
      baseUrl: fake.url,
      auth: { email: DEFAULT_USER.email, apiToken: DEFAULT_USER.apiToken },
      clock,
    });
  });
  afterAll(() => fake.close());

  it('authenticates with email + API token and with a bearer token; refuses a wrong token with a typed error', async () => {
    expect(await api.myself()).toMatchObject({
      accountId: DEFAULT_USER.accountId,
      timeZone: 'Europe/Berlin',
    });
    const bearer = jiraApiFor({ baseUrl: fake.url, auth: { bearer: DEFAULT_USER.bearer! }, clock });
    expect((await bearer.myself()).accountId).toBe(DEFAULT_USER.accountId);
    const wrong = jiraApiFor({
      baseUrl: fake.url,
      auth: { email: DEFAULT_USER.email, apiToken: 'nope' },
      clock,
    });
    await expect(wrong.myself()).rejects.toMatchObject({ code: 'JIRA_UNAUTHORIZED', status: 401 });
  });

  it('searches with the JQL subset, reads fields, description as ADF and pages with nextPageToken', async () => {
    const a = fake.create({
      project: 'OPS',
      summary: 'first',
      description: 'do this\nthen that',
      labels: ['codex'],
    });
    fake.create({ project: 'OPS', summary: 'second', labels: ['other'] });
    fake.create({ project: 'WEB', summary: 'third', labels: ['codex'], status: 'Done' });
    const found = await api.search('project = OPS AND labels = codex ORDER BY updated ASC');
    expect(found.issues.map((i) => i.key)).toEqual([a.key]);
    const [issue] = found.issues;
    expect(issue!.fields).toMatchObject({
      summary: 'first',
      labels: ['codex'],
      status: { name: 'To Do', statusCategory: { key: 'new' } },
      description: { type: 'doc', version: 1 },
    });
    // Jira's timestamp: milliseconds field, second resolution, the user's offset.
    expect(issue!.fields.updated).toBe('2026-11-30T09:03:26.000+0100');
    const first = await api.search('labels in (codex, other) AND statusCategory != Done', { maxResults: 1 });
    expect(first.issues).toHaveLength(1);
    expect(first.next).not.toBeNull();
    const second = await api.search('labels in (codex, other) AND statusCategory != Done', {
      maxResults: 1,
      token: first.next!,
    });
    expect(second.issues[0]!.key).not.toBe(first.issues[0]!.key);
    await expect(api.search('assignee = me')).rejects.toMatchObject({
      code: 'JIRA_REQUEST_FAILED',
      status: 400,
    });
  });

  it('compares `updated` at minute resolution in the user time zone', async () => {
    now = Date.UTC(2026, 10, 30, 8, 10, 59, 999);
    const late = fake.create({ project: 'TZ', summary: 'at 08:10:59 UTC' });
    const keys = async (jql: string) => (await api.search(jql)).issues.map((i) => i.key);
    // 09:10 in Berlin is 08:10 UTC: the minute includes :59.
    expect(await keys('project = TZ AND updated >= "2026/11/30 09:10"')).toEqual([late.key]);
    expect(await keys('project = TZ AND updated >= "2026/11/30 09:11"')).toEqual([]);
    // Read as UTC it would be an hour later and miss the issue: the client must use the zone.
    expect(await keys('project = TZ AND updated >= "2026-11-30 08:10"')).toEqual([late.key]);
    expect(await keys('project = TZ AND updated > "2026/11/30 09:10"')).toEqual([late.key]);
  });

  it('adds and removes labels through `update`, refusing a label with a space by name', async () => {
    const issue = fake.create({ project: 'LAB', summary: 'labels', labels: ['a'] });
    await api.editLabels(issue.key, { add: ['codex-claimed'], remove: ['a'] });
    expect(fake.issue(issue.key).labels).toEqual(['codex-claimed']);
    await expect(api.editLabels(issue.key, { add: ['in progress'] })).rejects.toThrow(
      "The label 'in progress' contains spaces",
    );
  });

  it('adds, lists and edits comments in place', async () => {
    const issue = fake.create({ project: 'COM', summary: 'comments' });
    const made = await api.addComment(issue.key, { type: 'doc', version: 1, content: [] });
    await api.updateComment(issue.key, made.id, {
      type: 'doc',
      version: 1,
      content: [{ type: 'paragraph', content: [{ type: 'text', text: 'edited' }] }],
    });
    const listed = await api.comments(issue.key);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: made.id, author: { accountId: DEFAULT_USER.accountId } });
    expect(JSON.stringify(listed[0]!.body)).toContain('edited');
  });

  it('lists transitions by target status and does one; refuses one the workflow does not allow', async () => {
    const issue = fake.create({ project: 'WF', summary: 'workflow' });
    const list = await api.transitions(issue.key);
    const toProgress = list.find((t) => t.to.name === 'In Progress')!;
    expect(toProgress.name).not.toBe('In Progress'); // named for the action, found by target
    await api.transition(issue.key, toProgress.id);
    expect(fake.issue(issue.key).status).toBe('In Progress');
    await expect(api.transition(issue.key, '999')).rejects.toMatchObject({ status: 400 });
  });

  it('shows a "Blocks" link on the blocked issue as its inwardIssue', async () => {
    const blocker = fake.create({ project: 'DEP', summary: 'first' });
    const blocked = fake.create({ project: 'DEP', summary: 'second' });
    fake.link(blocker.key, blocked.key);
    const got = await api.issue(blocked.key);
    expect(got.fields.issuelinks).toEqual([
      expect.objectContaining({
        type: expect.objectContaining({ name: 'Blocks' }),
        inwardIssue: expect.objectContaining({ key: blocker.key }),
      }),
    ]);
  });

  it('waits out a short 429 (Retry-After on the clock) and surfaces a long one as JiraRateLimitedError', async () => {
    clock.slept.length = 0;
    fake.throttle(2, 3);
    expect((await api.myself()).accountId).toBe(DEFAULT_USER.accountId);
    expect(clock.slept).toEqual([3000, 3000]);
    fake.throttle(1, 3600);
    await expect(api.myself()).rejects.toMatchObject({ code: 'JIRA_RATE_LIMITED', retryAfterMs: 3_600_000 });
  });
});
