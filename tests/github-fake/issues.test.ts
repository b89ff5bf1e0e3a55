/** Issues, labels and comments: filters, sorting, pagination, timestamps, limits. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGitHub, type SeedIssue, startFakeGitHub } from '../support/github-fake/index.js';
import { call, parseLink, REPO } from './helpers.js';

let fake: FakeGitHub;
const api = (method: string, path: string, body?: unknown) => call(fake.url, method, path, { body });
const numbers = (body: Array<{ number: number }>) => body.map((i) => i.number);

const seedIssues: SeedIssue[] = [
  {
    title: 'one',
    labels: ['task', 'p1'],
    createdAt: '2024-01-01T00:00:00Z',
    updatedAt: '2024-01-05T00:00:00Z',
  },
  { title: 'two', labels: ['task'], createdAt: '2024-01-02T00:00:00Z', updatedAt: '2024-01-03T00:00:00Z' },
  {
    title: 'three',
    state: 'closed',
    stateReason: 'not_planned',
    labels: ['task'],
    createdAt: '2024-01-03T00:00:00Z',
    updatedAt: '2024-01-04T00:00:00Z',
  },
  { title: 'a PR', pullRequest: true, createdAt: '2024-01-04T00:00:00Z', updatedAt: '2024-01-04T00:00:00Z' },
  {
    title: 'five',
    user: 'stranger',
    authorAssociation: 'NONE',
    createdAt: '2024-01-05T00:00:00Z',
    updatedAt: '2024-01-06T00:00:00Z',
    comments: [{ body: 'seeded comment', user: 'stranger' }],
  },
];

beforeAll(async () => {
  fake = await startFakeGitHub({
    secondaryPerMinute: 10_000,
    secondaryPerHour: 10_000,
    seed: { repos: [{ owner: 'acme', name: 'widgets', issues: seedIssues }] },
  });
});
afterAll(async () => {
  await fake.close();
});

describe('listing issues', () => {
  it('defaults to open issues (pull requests included), newest first', async () => {
    const reply = await api('GET', `${REPO}/issues`);
    expect(numbers(reply.body)).toEqual([5, 4, 2, 1]);
    const pr = reply.body.find((i: { number: number }) => i.number === 4);
    expect(pr.pull_request.url).toBe(`${fake.url}${REPO}/pulls/4`);
    expect(reply.body.find((i: { number: number }) => i.number === 1)).not.toHaveProperty('pull_request');
    expect(reply.headers.get('link')).toBeNull();
  });

  it('filters by state, all labels (case-insensitively), since; sorts by updated ascending', async () => {
    expect(numbers((await api('GET', `${REPO}/issues?state=closed`)).body)).toEqual([3]);
    expect(numbers((await api('GET', `${REPO}/issues?state=all&labels=TASK,p1`)).body)).toEqual([1]);
    expect(numbers((await api('GET', `${REPO}/issues?state=all&labels=task`)).body)).toEqual([3, 2, 1]);
    const since = await api(
      'GET',
      `${REPO}/issues?state=all&since=2024-01-04T00:00:00Z&sort=updated&direction=asc`,
    );
    expect(numbers(since.body)).toEqual([3, 4, 1, 5]);
    const byComments = await api('GET', `${REPO}/issues?sort=comments`);
    expect(numbers(byComments.body)[0]).toBe(5);
  });

  it('stamps changes at whole seconds, so two within one second tie, and `since` compares at that resolution', async () => {
    fake.seed({ repos: [{ owner: 'acme', name: 'seconds' }] }); // its own issues: the others' stay put
    const R = '/repos/acme/seconds';
    fake.setKnobs({ frozenClockMs: Date.UTC(2025, 0, 2, 3, 4, 5, 678) });
    try {
      const created = await api('POST', `${R}/issues`, { title: 'same second' });
      const n = created.body.number as number;
      expect(created.body.created_at).toBe('2025-01-02T03:04:05Z');
      await api('POST', `${R}/issues/${n}/labels`, { labels: ['task'] });
      const closed = await api('PATCH', `${R}/issues/${n}`, { state: 'closed' });
      expect([closed.body.updated_at, closed.body.closed_at]).toEqual([
        '2025-01-02T03:04:05Z',
        '2025-01-02T03:04:05Z',
      ]);
      expect(fake.state.issue('acme/seconds', n)?.updatedAt).toBe(Date.UTC(2025, 0, 2, 3, 4, 5));
      // A fractional `since` within that second still lists the issue: GitHub stores seconds.
      const listed = await api('GET', `${R}/issues?state=all&since=2025-01-02T03:04:05.900Z`);
      expect(numbers(listed.body)).toEqual([n]);
      const after = await api('GET', `${R}/issues?state=all&since=2025-01-02T03:04:06Z`);
      expect(numbers(after.body)).toEqual([]);
      // Comments too: one made in that second is listed for a fractional `since` within it.
      const comment = await api('POST', `${R}/issues/${n}/comments`, { body: 'same second' });
      const comments = await api('GET', `${R}/issues/${n}/comments?since=2025-01-02T03:04:05.900Z`);
      expect((comments.body as { id: number }[]).map((c) => c.id)).toEqual([comment.body.id]);
    } finally {
      fake.setKnobs({ frozenClockMs: 0 });
    }
  });

  it('paginates with GitHub-shaped Link headers and clamps per_page to 100', async () => {
    const page2 = await api('GET', `${REPO}/issues?state=all&per_page=2&page=2`);
    expect(numbers(page2.body)).toEqual([3, 2]);
    const links = parseLink(page2.headers.get('link'));
    expect(Object.keys(links)).toEqual(['prev', 'next', 'last', 'first']);
    expect(links.next?.url).toBe(
      `${fake.url}/repositories/${fake.state.repo('acme/widgets').id}/issues?state=all&per_page=2&page=3`,
    );
    expect([links.prev?.page, links.next?.page, links.last?.page, links.first?.page]).toEqual([1, 3, 3, 1]);
    const last = await api('GET', links.last!.url);
    expect(numbers(last.body)).toEqual([1]);
    expect(Object.keys(parseLink(last.headers.get('link')))).toEqual(['prev', 'first']);
    const big = await api('GET', `${REPO}/issues?state=all&per_page=500`);
    expect(big.body).toHaveLength(5);
  });
});

describe('issue writes', () => {
  it('creates with labels (creating missing ones) and the token user; closes and reopens with reasons', async () => {
    const created = await api('POST', `${REPO}/issues`, {
      title: 'new',
      body: 'text',
      labels: ['Brand-New'],
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe(created.body.url);
    expect(created.body).toMatchObject({
      number: 6,
      state: 'open',
      body: 'text',
      comments: 0,
      closed_at: null,
    });
    expect(
      fake.state.labels('acme/widgets').some((l) => l.name === 'Brand-New' && l.color === 'ededed'),
    ).toBe(true);
    const closed = await api('PATCH', `${REPO}/issues/6`, { state: 'closed', state_reason: 'not_planned' });
    expect(closed.body).toMatchObject({ state: 'closed', state_reason: 'not_planned' });
    expect(closed.body.closed_at).not.toBeNull();
    expect(closed.body.closed_by.login).toBe('test-user');
    const reopened = await api('PATCH', `${REPO}/issues/6`, { state: 'open' });
    expect(reopened.body).toMatchObject({ state: 'open', state_reason: 'reopened', closed_at: null });
    expect((await api('PATCH', `${REPO}/issues/6`, { state: 'done' })).status).toBe(422);
    expect((await api('POST', `${REPO}/issues`, {})).status).toBe(422);
  });

  it('numbers are shared with pull requests', async () => {
    const created = await api('POST', `${REPO}/issues`, { title: 'after the PR' });
    expect(created.body.number).toBeGreaterThan(5);
    expect((await api('GET', `${REPO}/issues/4`)).body.pull_request).toBeDefined();
  });

  it('adding or removing a label moves updated_at; a no-op PATCH does not', async () => {
    const n = (await api('POST', `${REPO}/issues`, { title: 'stamps' })).body.number;
    const t0 = (await api('GET', `${REPO}/issues/${n}`)).body.updated_at;
    fake.setKnobs({ clockOffsetMs: 5_000 });
    const added = await api('POST', `${REPO}/issues/${n}/labels`, { labels: ['codex:claimed'] });
    expect(added.body.map((l: { name: string }) => l.name)).toEqual(['codex:claimed']);
    const t1 = (await api('GET', `${REPO}/issues/${n}`)).body.updated_at;
    expect(Date.parse(t1)).toBeGreaterThan(Date.parse(t0));
    fake.setKnobs({ clockOffsetMs: 10_000 });
    expect((await api('PATCH', `${REPO}/issues/${n}`, { title: 'stamps' })).body.updated_at).toBe(t1);
    const removed = await api('DELETE', `${REPO}/issues/${n}/labels/CODEX:CLAIMED`);
    expect(removed.status).toBe(200);
    expect(removed.body).toEqual([]);
    expect(Date.parse((await api('GET', `${REPO}/issues/${n}`)).body.updated_at)).toBeGreaterThan(
      Date.parse(t1),
    );
    fake.setKnobs({ clockOffsetMs: 0 });
  });
});

describe('labels', () => {
  it('refuses a duplicate name case-insensitively with already_exists', async () => {
    const reply = await api('POST', `${REPO}/labels`, { name: 'BUG', color: 'ff0000' });
    expect(reply.status).toBe(422);
    expect(reply.body.message).toBe('Validation Failed');
    expect(reply.body.errors).toEqual([{ resource: 'Label', code: 'already_exists', field: 'name' }]);
  });

  it('removing a label the issue does not carry is 404 "Label does not exist"', async () => {
    const reply = await api('DELETE', `${REPO}/issues/1/labels/bug`);
    expect(reply.status).toBe(404);
    expect(reply.body.message).toBe('Label does not exist');
  });

  it('PUT replaces, DELETE all clears, renaming a label shows on issues', async () => {
    const n = (await api('POST', `${REPO}/issues`, { title: 'label ops', labels: ['x1'] })).body.number;
    const set = await api('PUT', `${REPO}/issues/${n}/labels`, { labels: ['x2', 'x3'] });
    expect(set.body.map((l: { name: string }) => l.name)).toEqual(['x2', 'x3']);
    await api('PATCH', `${REPO}/labels/x2`, { new_name: 'x2-renamed' });
    const list = await api('GET', `${REPO}/issues/${n}/labels`);
    expect(list.body.map((l: { name: string }) => l.name)).toEqual(['x2-renamed', 'x3']);
    expect((await api('DELETE', `${REPO}/issues/${n}/labels`)).status).toBe(204);
    expect(fake.state.issue('acme/widgets', n)?.labels).toEqual([]);
    expect((await api('DELETE', `${REPO}/labels/x3`)).status).toBe(204);
    expect((await api('GET', `${REPO}/labels/x3`)).status).toBe(404);
  });
});

describe('comments', () => {
  it('paginates a long thread with Link headers and since; ids increase', async () => {
    const n = (await api('POST', `${REPO}/issues`, { title: 'thread' })).body.number;
    for (let i = 0; i < 7; i++) await api('POST', `${REPO}/issues/${n}/comments`, { body: `c${i}` });
    const page1 = await api('GET', `${REPO}/issues/${n}/comments?per_page=3`);
    expect(page1.body.map((c: { body: string }) => c.body)).toEqual(['c0', 'c1', 'c2']);
    const links = parseLink(page1.headers.get('link'));
    expect(Object.keys(links)).toEqual(['next', 'last']);
    expect(links.last?.page).toBe(3);
    const page3 = await api('GET', links.last!.url);
    expect(page3.body.map((c: { body: string }) => c.body)).toEqual(['c6']);
    const ids = fake.state.comments('acme/widgets', n).map((c) => c.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const future = await api('GET', `${REPO}/issues/${n}/comments?since=2999-01-01T00:00:00Z`);
    expect(future.body).toEqual([]);
  });

  it('creating a comment bumps the issue comment count and updated_at; edit and delete work', async () => {
    const n = (await api('POST', `${REPO}/issues`, { title: 'counted' })).body.number;
    const t0 = fake.state.issue('acme/widgets', n)!.updatedAt;
    fake.setKnobs({ clockOffsetMs: 3_000 });
    const c = await api('POST', `${REPO}/issues/${n}/comments`, { body: 'hi' });
    fake.setKnobs({ clockOffsetMs: 0 });
    expect(c.status).toBe(201);
    expect(c.body.html_url).toContain(`#issuecomment-${c.body.id}`);
    const issue = fake.state.issue('acme/widgets', n)!;
    expect(issue.comments).toBe(1);
    expect(issue.updatedAt).toBeGreaterThan(t0);
    const edited = await api('PATCH', `${REPO}/issues/comments/${c.body.id}`, { body: 'edited' });
    expect(edited.body.body).toBe('edited');
    expect((await api('DELETE', `${REPO}/issues/comments/${c.body.id}`)).status).toBe(204);
    expect(fake.state.issue('acme/widgets', n)!.comments).toBe(0);
    expect((await api('GET', `${REPO}/issues/comments/${c.body.id}`)).status).toBe(404);
  });

  it('accepts a body of exactly 65,536 characters and refuses one more', async () => {
    const n = (await api('POST', `${REPO}/issues`, { title: 'long' })).body.number;
    const fits = await api('POST', `${REPO}/issues/${n}/comments`, { body: 'x'.repeat(65_536) });
    expect(fits.status).toBe(201);
    const tooLong = await api('POST', `${REPO}/issues/${n}/comments`, { body: 'x'.repeat(65_537) });
    expect(tooLong.status).toBe(422);
    expect(tooLong.body.message).toBe('Validation Failed');
    expect(tooLong.body.errors[0].message).toBe('Body is too long (maximum is 65536 characters)');
    const edit = await api('PATCH', `${REPO}/issues/comments/${fits.body.id}`, { body: 'y'.repeat(70_000) });
    expect(edit.status).toBe(422);
    expect(fake.state.comments('acme/widgets', n)).toHaveLength(1);
    expect((await api('POST', `${REPO}/issues/${n}/comments`, { body: '' })).status).toBe(422);
  });
});
