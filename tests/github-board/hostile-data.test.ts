/**
 * A ledger ref pointing at a tree (GitHub allows a ref to point at any object) must not stop
 * the daemon: the real CLI against the fake runs every other issue, exits when idle, and
 * `status` names the bad ref. And other hostile data in issues (a NUL in a title).
 */
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { githubEnv, ledgerChain, ownerIssues, REPOSITORY, seedIssues } from '../support/github-daemons.js';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
let fake: FakeGitHub | undefined;
afterEach(async () => {
  await fake?.close();
});

describe('GitHub board: an unusable ledger ref', () => {
  it('skips only its issue with a warning in status; the others run and --until-idle exits', async () => {
    fake = await startFakeGitHub({ secondaryPerMinute: 100_000, secondaryPerHour: 100_000 });
    seedIssues(fake, ownerIssues(3));
    const octokit = new Octokit({
      baseUrl: fake.url,
      auth: 'test-token',
      log: { debug() {}, info() {}, warn() {}, error() {} },
    });
    const p = { owner: 'acme', repo: 'widgets' };
    const head = await octokit.git.getRef({ ...p, ref: 'heads/main' });
    const main = await octokit.git.getCommit({ ...p, commit_sha: head.data.object.sha });
    await octokit.git.createRef({ ...p, ref: 'refs/codex-monitor/tasks/1', sha: main.data.tree.sha });

    const dir = join(tempDir(), 'state');
    const env = githubEnv(fake, dir, join(tempDir(), 'markers.jsonl'));
    const run = await runCli(['run', '--until-idle', '--owner', 'ws1/codex'], { env });
    expect(run.code, run.stderr.slice(-3000)).toBe(0);
    expect(ledgerChain(fake, 2).map((r) => r.kind)).toEqual(['claim', 'release']);
    expect(ledgerChain(fake, 3).map((r) => r.kind)).toEqual(['claim', 'release']);
    expect(fake.state.ref(REPOSITORY, 'refs/codex-monitor/tasks/1')).toBe(main.data.tree.sha);
    // One warning for the bad sha, not one per cycle.
    expect(run.stderr.match(/ledger: skipping refs\/codex-monitor\/tasks\/1/g)).toHaveLength(1);

    const status = await runCli(['status'], { env });
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/#1\s+unusable ledger ref: points at a tree, not a commit/);
    expect(status.stdout).toMatch(
      /warning: ledger ref refs\/codex-monitor\/tasks\/1 skipped: points at a tree/,
    );
  });
});

describe('GitHub board: a NUL byte in an issue title', () => {
  it('does not poison the issue: the attempt runs and completes', async () => {
    fake = await startFakeGitHub({ secondaryPerMinute: 100_000, secondaryPerHour: 100_000 });
    seedIssues(
      fake,
      ownerIssues(1, () => ({ title: 'Fix\u0000 the parser' })),
    );
    const env = githubEnv(fake, join(tempDir(), 'state'), join(tempDir(), 'markers.jsonl'), {
      SHARED_STATE_MAX_RETRIES: '1',
    });
    const run = await runCli(['run', '--until-idle', '--owner', 'ws1/codex'], { env });
    expect(run.code, run.stderr.slice(-3000)).toBe(0);
    expect(ledgerChain(fake, 1).map((r) => r.outcome ?? r.kind)).toEqual(['claim', 'complete']);
  });
});
