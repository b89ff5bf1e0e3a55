/** PullRequests against the GitHub fake, its branches pushed to the fake's bare repository. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubClient } from '../../src/boards/github/http/index.js';
import { IssueSync } from '../../src/boards/github/issues/index.js';
import { PullRequests, renderPullBody } from '../../src/boards/github/pulls/index.js';
import { systemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { MemoryKeyValueStore } from '../../src/state/kv-store.js';
import { type FakeGitHub, pushBranch, startFakeGitHub } from '../support/github-fake/index.js';

let fake: FakeGitHub;
let root: string;
let remote: string;
let branchCounter = 0;
let branch: string;

function pulls(token = 'test-token') {
  const client = createGitHubClient({
    baseUrl: fake.url,
    token,
    etags: new MemoryKeyValueStore(),
    logger: silentLogger(),
    pacing: false,
    waitUnitMs: 1,
  });
  return new PullRequests({
    client,
    owner: 'acme',
    repo: 'widgets',
    clock: systemClock(),
    rereadDelaysMs: [50, 100, 200, 400],
  });
}

/** The pull requests the fake holds for `head`, open or not. */
const pullsOf = (head: string) =>
  fake.state.issues('acme/widgets').filter((i) => i.pullRequest?.head === head);

const spec = (extra: Partial<Parameters<PullRequests['openOrUpdate']>[0]> = {}) => ({
  branch,
  base: 'main',
  title: 'Fix the login timeout',
  body: renderPullBody({
    issue: 1,
    summary: 'Raised the timeout to 30 s.',
    attempt: 1,
    epoch: 1,
    owner: 'ws-1',
  }),
  ...extra,
});

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'codex-monitor-pulls-'));
  fake = await startFakeGitHub({
    gitRoot: root,
    tokens: [{ token: 'test-token' }, { token: 'no-pr-write', pullRequests: 'read' }],
    seed: { repos: [{ owner: 'acme', name: 'widgets', issues: [{ title: 'Fix the login timeout' }] }] },
  });
  remote = fake.gitRemote('acme', 'widgets');
});
afterAll(async () => {
  await fake.close();
  rmSync(root, { recursive: true, force: true });
});
beforeEach(() => {
  branch = `codex/1-fix-login-${++branchCounter}`;
  fake.setKnobs({ lostResponseNext: 0, readLagMs: 0 });
});

describe('PullRequests against the fake', () => {
  it('creates, finds, updates (same PR, labels added) and closes', async () => {
    const sha = pushBranch(remote, branch, { 'login.txt': 'timeout=30\n' });
    const first = await pulls().openOrUpdate(spec({ draft: true, labels: ['codex'] }));
    expect(first).toMatchObject({
      created: true,
      url: `https://github.com/acme/widgets/pull/${first.number}`,
    });
    const found = await pulls().findOpen(branch);
    expect(found).toMatchObject({ number: first.number, headSha: sha, draft: true, labels: ['codex'] });

    pushBranch(remote, branch, { 'login.txt': 'timeout=60\n' }); // a retry continues the branch
    const second = await pulls().openOrUpdate(spec({ title: 'Fix it again', labels: ['codex', 'retry'] }));
    expect(second).toEqual({ ...first, created: false });
    expect(fake.state.issue('acme/widgets', first.number)).toMatchObject({
      title: 'Fix it again',
      labels: ['codex', 'retry'],
    });

    await pulls().close(first.number);
    expect(await pulls().findOpen(branch)).toBeNull();
    expect(fake.state.issue('acme/widgets', first.number)?.state).toBe('closed');
  });

  it('a lost response to the create never yields a second pull request', async () => {
    pushBranch(remote, branch, { 'lost.txt': 'x' });
    fake.setKnobs({ lostResponseNext: 1 });
    const result = await pulls().openOrUpdate(spec({ labels: ['codex'] }));
    expect(result.created).toBe(true);
    expect(pullsOf(branch).map((p) => p.number)).toEqual([result.number]);
    expect(fake.state.issue('acme/widgets', result.number)?.labels).toEqual(['codex']);
    expect(fake.stats().lostResponses).toBeGreaterThan(0);
  });

  it('a lost response while lists lag behind writes: still one pull request', async () => {
    pushBranch(remote, branch, { 'lag.txt': 'x' });
    fake.setKnobs({ lostResponseNext: 1, readLagMs: 150 });
    const result = await pulls().openOrUpdate(spec());
    expect(pullsOf(branch).map((p) => p.number)).toEqual([result.number]);
  });

  it('two daemons opening the same branch at once: one pull request, both get its number', async () => {
    pushBranch(remote, branch, { 'race.txt': 'x' });
    const [a, b] = await Promise.all([pulls().openOrUpdate(spec()), pulls().openOrUpdate(spec())]);
    expect(a.number).toBe(b.number);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    expect(pullsOf(branch)).toHaveLength(1);
  });

  it('answers an unpushed branch, a branch without commits and a missing permission with typed errors', async () => {
    await expect(pulls().openOrUpdate(spec())).rejects.toMatchObject({ code: 'PULL_REQUEST_HEAD_INVALID' });
    pushBranch(remote, branch, {});
    await expect(pulls().openOrUpdate(spec())).rejects.toMatchObject({ code: 'PULL_REQUEST_NO_COMMITS' });
    pushBranch(remote, branch, { 'perm.txt': 'x' });
    await expect(pulls('no-pr-write').openOrUpdate(spec())).rejects.toMatchObject({
      code: 'PULL_REQUEST_PERMISSION',
    });
    expect(pullsOf(branch)).toEqual([]);
  });

  it('the issue sync skips pull requests but says their state; merging closes the fixed issue as completed', async () => {
    pushBranch(remote, branch, { 'sync.txt': 'x' });
    const pr = await pulls().openOrUpdate(spec());
    const client = createGitHubClient({
      baseUrl: fake.url,
      token: 'test-token',
      etags: new MemoryKeyValueStore(),
      logger: silentLogger(),
      pacing: false,
    });
    const sync = new IssueSync({
      client,
      owner: 'acme',
      repo: 'widgets',
      cursor: new MemoryKeyValueStore(),
    });
    const first = await sync.pull();
    expect(first.changed.map((i) => i.number)).toEqual([1]);
    expect(first.changed.some((i) => i.number === pr.number)).toBe(false);
    expect(first.pulls).toContainEqual({ number: pr.number, state: 'open' }); // beside earlier tests' PRs

    fake.state.mergePull('acme/widgets', pr.number);
    const second = await sync.pull();
    expect(second.changed).toEqual([
      expect.objectContaining({ number: 1, state: 'closed', stateReason: 'completed' }),
    ]);
    expect(second.pulls).toContainEqual({ number: pr.number, state: 'merged' });
  });
});
