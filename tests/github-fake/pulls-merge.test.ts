/** Merging pull requests in the bare repository, Octokit's pulls methods, and a fake without git. */
import { execFileSync } from 'node:child_process';
import { Octokit } from '@octokit/rest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeGitHub, pushBranch, startFakeGitHub } from '../support/github-fake/index.js';
import { call, REPO } from './helpers.js';
import { type FakeWithGit, openPull as open, startFakeWithGit } from './pull-setup.js';

let ctx: FakeWithGit;
let fake: FakeGitHub;
let remote: string;
const api = (method: string, path: string, body?: unknown) => call(fake.url, method, path, { body });
const git = (...args: string[]) => execFileSync('git', ['-C', remote, ...args], { encoding: 'utf8' }).trim();
const openPull = (branch: string, extra: Record<string, unknown> = {}) => open(ctx, branch, extra);

beforeAll(async () => {
  ctx = await startFakeWithGit({
    seed: { repos: [{ owner: 'acme', name: 'widgets', issues: [{ title: 'one' }, { title: 'two' }] }] },
  });
  ({ fake, remote } = ctx);
});
afterAll(() => ctx.stop());

describe('merging', () => {
  it('merges into the default branch and closes the issues the body fixes, as completed', async () => {
    const fixes = (await api('POST', `${REPO}/issues`, { title: 'to fix' })).body.number;
    const other = (await api('POST', `${REPO}/issues`, { title: 'to resolve' })).body.number;
    const untouched = (await api('POST', `${REPO}/issues`, { title: 'mentioned' })).body.number;
    const body = `FIXES #${fixes}, Resolves: acme/widgets#${other}; see #${untouched}; closes other/repo#${untouched}`;
    const pr = await openPull('codex/merge', { body });
    const main = git('rev-parse', 'main');
    const result = fake.state.mergePull('acme/widgets', pr.number, 'maintainer');
    expect(result.closedIssues).toEqual([fixes, other]);
    expect(git('rev-parse', 'main')).toBe(result.sha);
    expect(git('rev-list', '--parents', '-n', '1', 'main').split(' ').slice(1)).toEqual([main, pr.head.sha]);
    expect(fake.state.issue('acme/widgets', fixes)).toMatchObject({
      state: 'closed',
      stateReason: 'completed',
    });
    expect(fake.state.issue('acme/widgets', untouched)?.state).toBe('open');
    const merged = (await api('GET', `${REPO}/pulls/${pr.number}`)).body;
    expect(merged).toMatchObject({ state: 'closed', merged: true, merge_commit_sha: result.sha });
    expect(merged.merged_by.login).toBe('maintainer');
    const issue = (await api('GET', `${REPO}/issues/${pr.number}`)).body;
    expect(issue.pull_request.merged_at).toBe(merged.merged_at);
    expect((await api('PATCH', `${REPO}/pulls/${pr.number}`, { state: 'open' })).status).toBe(422);
  });

  it('PUT /merge: 409 on a stale sha, 200, then 405 once merged', async () => {
    const pr = await openPull('codex/put-merge');
    const url = `${REPO}/pulls/${pr.number}/merge`;
    expect((await api('PUT', url, { sha: 'f'.repeat(40) })).status).toBe(409);
    const ok = await api('PUT', url, { sha: pr.head.sha });
    expect(ok.body).toMatchObject({ merged: true, message: 'Pull Request successfully merged' });
    expect(git('rev-parse', 'main')).toBe(ok.body.sha);
    expect((await api('PUT', url, {})).status).toBe(405);
  });
});

describe('Octokit, unchanged', () => {
  it('creates, lists by head, gets, updates and closes a pull request', async () => {
    const quiet = () => {};
    const log = { debug: quiet, info: quiet, warn: quiet, error: quiet };
    const octokit = new Octokit({ baseUrl: fake.url, auth: 'test-token', log });
    const repo = { owner: 'acme', repo: 'widgets' };
    const sha = pushBranch(remote, 'codex/octokit', { 'o.txt': 'o' });
    const { data: created, status } = await octokit.rest.pulls.create({
      ...repo,
      title: 'Octokit',
      head: 'acme:codex/octokit',
      base: 'main',
      body: 'Fixes #2',
      maintainer_can_modify: true,
    });
    expect(status).toBe(201);
    expect(created.head.sha).toBe(sha);
    const { data: listed } = await octokit.rest.pulls.list({
      ...repo,
      head: 'acme:codex/octokit',
      state: 'open',
    });
    expect(listed.map((p) => p.number)).toEqual([created.number]);
    const { data: got } = await octokit.rest.pulls.get({ ...repo, pull_number: created.number });
    expect(got).toMatchObject({ title: 'Octokit', maintainer_can_modify: true, commits: 1 });
    const { data: updated } = await octokit.rest.pulls.update({
      ...repo,
      pull_number: created.number,
      title: 'Octokit 2',
      state: 'closed',
    });
    expect(updated).toMatchObject({ title: 'Octokit 2', state: 'closed' });
    await expect(
      octokit.rest.pulls.create({ ...repo, title: 'x', head: 'acme:nope', base: 'main' }),
    ).rejects.toMatchObject({ status: 422 });
  });
});

describe('without gitRoot', () => {
  it('has no branches: creating is 422 invalid head, listing is empty', async () => {
    const plain = await startFakeGitHub();
    try {
      const reply = await call(plain.url, 'POST', `${REPO}/pulls`, {
        body: { title: 't', head: 'x', base: 'main' },
      });
      expect(reply.body.errors).toEqual([{ resource: 'PullRequest', field: 'head', code: 'invalid' }]);
      expect((await call(plain.url, 'GET', `${REPO}/pulls`)).body).toEqual([]);
      expect(() => plain.gitRemote('acme', 'widgets')).toThrow(/without gitRoot/);
    } finally {
      await plain.close();
    }
  });
});
