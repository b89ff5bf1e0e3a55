/** Pull requests over real HTTP, their branches in a real bare git repository. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGitHub, pushBranch } from '../support/github-fake/index.js';
import { call, parseLink, REPO } from './helpers.js';
import { type FakeWithGit, openPull as open, startFakeWithGit } from './pull-setup.js';

let ctx: FakeWithGit;
let fake: FakeGitHub;
let remote: string;
const api = (method: string, path: string, body?: unknown, token?: string) =>
  call(fake.url, method, path, { body, token });
const numbers = (body: Array<{ number: number }>) => body.map((i) => i.number);
const git = (...args: string[]) => execFileSync('git', ['-C', remote, ...args], { encoding: 'utf8' }).trim();
const openPull = (branch: string, extra: Record<string, unknown> = {}) => open(ctx, branch, extra);

beforeAll(async () => {
  ctx = await startFakeWithGit({
    tokens: [
      { token: 'test-token' },
      { token: 'pr-read', pullRequests: 'read' },
      { token: 'pr-none', pullRequests: 'none' },
    ],
    seed: { repos: [{ owner: 'acme', name: 'widgets', issues: [{ title: 'one' }, { title: 'two' }] }] },
  });
  ({ fake, remote } = ctx);
});
afterAll(() => ctx.stop());

describe('the bare repository', () => {
  it('holds the default branch on the same initial commit as the git data API', () => {
    expect(remote).toBe(join(ctx.root, 'acme', 'widgets.git'));
    expect(git('rev-parse', 'main')).toBe(fake.state.ref('acme/widgets', 'heads/main'));
    expect(git('show', 'main:README.md')).toBe('# widgets');
    expect(() => fake.gitRemote('acme', 'nope')).toThrow(/no repository acme\/nope/);
  });
});

describe('creating a pull request', () => {
  it('is an issue too: next number, in issue lists with pull_request, labels and comments work', async () => {
    const sha = pushBranch(remote, 'codex/1-one', { 'a.txt': 'a\nb\n' });
    const reply = await api('POST', `${REPO}/pulls`, {
      title: 'One',
      head: 'acme:codex/1-one',
      base: 'main',
      body: 'Fixes #1',
      draft: true,
    });
    expect(reply.status).toBe(201);
    const pr = reply.body;
    expect(pr).toMatchObject({
      number: 3,
      state: 'open',
      draft: true,
      merged: false,
      commits: 1,
      additions: 2,
    });
    expect(pr.head).toMatchObject({ ref: 'codex/1-one', sha, label: 'acme:codex/1-one' });
    expect(pr.base).toMatchObject({ ref: 'main', sha: git('rev-parse', 'main') });
    expect(reply.headers.get('location')).toBe(`${fake.url}${REPO}/pulls/3`);
    expect(pr.created_at).toMatch(/:\d\dZ$/);

    const issues = (await api('GET', `${REPO}/issues`)).body;
    expect(numbers(issues)).toEqual([3, 2, 1]);
    expect(issues[0].pull_request.url).toBe(`${fake.url}${REPO}/pulls/3`);
    expect((await api('POST', `${REPO}/issues/3/labels`, { labels: ['codex'] })).status).toBe(200);
    expect((await api('POST', `${REPO}/issues/3/comments`, { body: 'hi' })).status).toBe(201);
    const again = (await api('GET', `${REPO}/pulls/3`)).body;
    expect(again.labels.map((l: { name: string }) => l.name)).toEqual(['codex']);
    expect(again.comments).toBe(1);
    expect((await api('POST', `${REPO}/issues`, { title: 'after' })).body.number).toBe(4);
  });

  it('refuses a second open pull request for one head and base, with GitHub body', async () => {
    await openPull('codex/dup');
    const reply = await api('POST', `${REPO}/pulls`, { title: 'x', head: 'acme:codex/dup', base: 'main' });
    expect(reply.status).toBe(422);
    expect(reply.body).toEqual({
      message: 'Validation Failed',
      errors: [
        {
          resource: 'PullRequest',
          code: 'custom',
          message: 'A pull request already exists for acme:codex/dup.',
        },
      ],
      documentation_url: 'https://docs.github.com/rest/pulls/pulls#create-a-pull-request',
      status: '422',
    });
    // Without the owner prefix the head is the same branch.
    expect((await api('POST', `${REPO}/pulls`, { title: 'x', head: 'codex/dup', base: 'main' })).status).toBe(
      422,
    );
  });

  it('refuses an unknown head, a fork head, an unknown base and a head with nothing beyond base', async () => {
    const errors = async (body: Record<string, unknown>) => {
      const reply = await api('POST', `${REPO}/pulls`, { title: 't', base: 'main', ...body });
      expect(reply.status).toBe(422);
      return reply.body.errors;
    };
    const head = [{ resource: 'PullRequest', field: 'head', code: 'invalid' }];
    expect(await errors({ head: 'acme:nope' })).toEqual(head);
    pushBranch(remote, 'codex/fork', { 'f.txt': 'f' });
    expect(await errors({ head: 'someone:codex/fork' })).toEqual(head);
    expect(await errors({ head: 'codex/fork', base: 'nope' })).toEqual([
      { resource: 'PullRequest', field: 'base', code: 'invalid' },
    ]);
    pushBranch(remote, 'codex/empty', {});
    expect(await errors({ head: 'acme:codex/empty' })).toEqual([
      { resource: 'PullRequest', code: 'custom', message: 'No commits between main and codex/empty' },
    ]);
    const missing = await api('POST', `${REPO}/pulls`, { head: 'codex/fork', base: 'main' });
    expect(missing.body.message).toBe('Invalid request.\n\n"title" wasn\'t supplied.');
  });

  it('counts as content creation, and needs the pull requests permission', async () => {
    pushBranch(remote, 'codex/perm', { 'p.txt': 'p' });
    const stats = fake.stats().contentCreating;
    const refused = await api(
      'POST',
      `${REPO}/pulls`,
      { title: 't', head: 'codex/perm', base: 'main' },
      'pr-read',
    );
    expect(refused.status).toBe(403);
    expect(refused.headers.get('x-accepted-github-permissions')).toBe('pull_requests=write');
    expect((await api('GET', `${REPO}/pulls`, undefined, 'pr-read')).status).toBe(200);
    expect((await api('GET', `${REPO}/pulls`, undefined, 'pr-none')).status).toBe(403);
    expect(fake.stats().contentCreating).toBe(stats + 1);
  });
});

describe('listing, reading and updating', () => {
  it('filters by state, owner:branch head (a bare branch is ignored) and base; paginates', async () => {
    const a = await openPull('codex/list-a');
    const b = await openPull('codex/list-b');
    const byHead = (await api('GET', `${REPO}/pulls?head=acme:codex/list-a`)).body;
    expect(numbers(byHead)).toEqual([a.number]);
    const ignored = (await api('GET', `${REPO}/pulls?head=codex/list-a`)).body;
    expect(numbers(ignored)).toContain(b.number);
    expect((await api('GET', `${REPO}/pulls?head=other:codex/list-a`)).body).toEqual([]);
    expect((await api('GET', `${REPO}/pulls?base=elsewhere`)).body).toEqual([]);
    await api('PATCH', `${REPO}/pulls/${a.number}`, { state: 'closed' });
    expect((await api('GET', `${REPO}/pulls?head=acme:codex/list-a`)).body).toEqual([]);
    const closed = (await api('GET', `${REPO}/pulls?state=closed&head=acme:codex/list-a`)).body;
    expect(numbers(closed)).toEqual([a.number]);
    const page = await api('GET', `${REPO}/pulls?state=all&per_page=1&sort=created&direction=asc`);
    expect(page.body).toHaveLength(1);
    expect(parseLink(page.headers.get('link')).next?.page).toBe(2);
    expect((await api('GET', `${REPO}/pulls?state=bogus`)).status).toBe(422);
  });

  it('reads head.sha from the bare repository at request time; the ETag follows it', async () => {
    const pr = await openPull('codex/moving');
    const first = await api('GET', `${REPO}/pulls/${pr.number}`);
    const etag = first.headers.get('etag')!;
    const cached = await call(fake.url, 'GET', `${REPO}/pulls/${pr.number}`, {
      headers: { 'if-none-match': etag },
    });
    expect(cached.status).toBe(304);
    const sha = pushBranch(remote, 'codex/moving', { 'more.txt': 'more' });
    const moved = await call(fake.url, 'GET', `${REPO}/pulls/${pr.number}`, {
      headers: { 'if-none-match': etag },
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ head: { sha }, commits: 2 });
  });

  it('updates title, body and base; closes and reopens; 404 for an issue number', async () => {
    const pr = await openPull('codex/edit');
    pushBranch(remote, 'release', {}, { from: 'main' });
    const edited = await api('PATCH', `${REPO}/pulls/${pr.number}`, {
      title: 'T2',
      body: 'B2',
      base: 'release',
    });
    expect(edited.body).toMatchObject({ title: 'T2', body: 'B2', base: { ref: 'release' } });
    expect((await api('PATCH', `${REPO}/pulls/${pr.number}`, { base: 'nope' })).status).toBe(422);
    const closed = await api('PATCH', `${REPO}/pulls/${pr.number}`, { state: 'closed' });
    expect(closed.body).toMatchObject({ state: 'closed', merged: false });
    expect(closed.body.closed_at).not.toBeNull();
    expect(fake.state.issue('acme/widgets', pr.number)?.state).toBe('closed');
    const reopened = await api('PATCH', `${REPO}/pulls/${pr.number}`, { state: 'open' });
    expect(reopened.body).toMatchObject({ state: 'open', closed_at: null });
    expect((await api('GET', `${REPO}/pulls/1`)).status).toBe(404);
  });

  it('a lost response: the pull request exists, and a retried POST is refused as a duplicate', async () => {
    pushBranch(remote, 'codex/lost', { 'l.txt': 'l' });
    fake.setKnobs({ lostResponseNext: 1 });
    const body = { title: 'lost', head: 'acme:codex/lost', base: 'main' };
    expect((await api('POST', `${REPO}/pulls`, body)).status).toBe(502);
    expect(numbers((await api('GET', `${REPO}/pulls?head=acme:codex/lost`)).body)).toHaveLength(1);
    expect((await api('POST', `${REPO}/pulls`, body)).status).toBe(422);
  });

  it('read lag hides a new pull request from lagged GETs, not from the duplicate check', async () => {
    fake.setKnobs({ readLagMs: 60_000 });
    try {
      await openPull('codex/lag');
      expect((await api('GET', `${REPO}/pulls?head=acme:codex/lag`)).body).toEqual([]);
      const body = { title: 'again', head: 'acme:codex/lag', base: 'main' };
      expect((await api('POST', `${REPO}/pulls`, body)).status).toBe(422);
    } finally {
      fake.setKnobs({ readLagMs: 0 });
    }
  });
});
