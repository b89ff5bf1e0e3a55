/**
 * Delivery off the happy path, with real daemons, real git and the fake's bare repository: a
 * retry continuing the branch and its pull request, work that changed nothing, a remote that
 * refuses the push, and the worktrees a killed daemon leaves behind. Takeovers (pauses and
 * crashes around the push) are in pull-request-takeovers.test.ts.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../support/daemons.js';
import { ledgerChain, logLines, ownerIssues, REPOSITORY, seedIssues } from '../support/github-daemons.js';
import { branchSha, type FakeGitHub } from '../support/github-fake/index.js';
import {
  addLabel,
  agentPids,
  git,
  installHook,
  keepReflog,
  killAgents,
  pullsOf,
  pushesTo,
  startPullFake,
  workstation,
  worktreeNames,
} from '../support/pull-request-fleet.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const fakes: FakeGitHub[] = [];
const strayAgents: number[] = [];
afterEach(async () => {
  killAgents(strayAgents.splice(0));
  for (const f of fakes.splice(0)) await f.close();
});

async function fakeWith(bodies: string[]): Promise<{ fake: FakeGitHub; remote: string }> {
  const fake = await startPullFake(tempDir());
  fakes.push(fake);
  seedIssues(
    fake,
    ownerIssues(bodies.length, (n) => ({ body: bodies[n - 1]! })),
  );
  return { fake, remote: fake.gitRemote('acme', 'widgets') };
}

const labels = (fake: FakeGitHub, issue: number) => fake.state.issue(REPOSITORY, issue)!.labels;
const kinds = (fake: FakeGitHub, issue: number) =>
  ledgerChain(fake, issue).map((r) => (r.outcome ? `${r.kind}:${r.outcome}` : r.kind));

describe('delivery off the happy path (real daemons, real git, the fake over HTTP)', () => {
  it('codex:retry on a delivered issue continues its branch and updates the same pull request', async () => {
    const { fake, remote } = await fakeWith(['Do thing 1.']);
    keepReflog(remote);
    const first = workstation(fake, tempDir(), 1).start();
    expect(await first.exited, first.output().slice(-3000)).toBe(0);
    const [pull] = pullsOf(fake, 1);
    const branch = pull!.pullRequest!.head;
    const delivered = branchSha(remote, branch)!;

    await addLabel(fake, 1, 'codex:retry');
    // Another workstation: what the first one did can only come from the remote branch.
    const second = workstation(fake, tempDir(), 2).start();
    expect(await second.exited, second.output().slice(-3000)).toBe(0);

    const pulls = pullsOf(fake, 1);
    expect(pulls.map((p) => [p.number, p.state])).toEqual([[pull!.number, 'open']]);
    expect(pulls[0]!.body).toMatch(/ws2\/codex/); // updated by the second attempt
    // The retry started from the pushed branch and pushed on top of it: two commits, in order.
    const tip = branchSha(remote, branch)!;
    expect(git(remote, ['rev-list', '--count', `main..${branch}`])).toBe('2');
    expect(git(remote, ['rev-parse', `${branch}^`])).toBe(delivered);
    expect(pushesTo(remote, branch)).toEqual([delivered, tip]);
    const file = git(remote, ['show', `${branch}:issue-1.md`]);
    expect(file).toMatch(/^Do thing 1\.\n\(epoch 1\)\n\(epoch \d+\)$/);
    expect(ledgerChain(fake, 1).at(-1)).toMatchObject({ outcome: 'complete', pr: pull!.number, branch });
    expect(labels(fake, 1)).toEqual(['codex:done']);
  });

  it('an attempt that changed nothing completes without a branch or a pull request', async () => {
    const { fake, remote } = await fakeWith(['Look, but touch nothing. [no-change]']);
    const daemon = workstation(fake, tempDir(), 1).start();
    expect(await daemon.exited, daemon.output().slice(-3000)).toBe(0);
    expect(kinds(fake, 1)).toEqual(['claim', 'release:complete']);
    expect(ledgerChain(fake, 1).at(-1)).toMatchObject({ reason: 'no changes' });
    expect(ledgerChain(fake, 1).at(-1)!.pr).toBeUndefined();
    expect(fake.state.pulls(REPOSITORY)).toEqual([]);
    expect(git(remote, ['for-each-ref', '--format=%(refname)', 'refs/heads/'])).toBe('refs/heads/main');
    expect(labels(fake, 1)).toEqual(['codex:done']);
    // Mirrored as such: the state comment says the attempt completed without changes.
    const comments = fake.state.comments(REPOSITORY, 1).map((c) => c.body);
    expect(comments.some((b) => b.includes('- Outcome: `complete, no changes`'))).toBe(true);
  });

  it('with NO_CHANGES=failed, an attempt that changed nothing fails, saying so', async () => {
    const { fake, remote } = await fakeWith(['Look, but touch nothing. [no-change]']);
    const ws = workstation(fake, tempDir(), 1, { NO_CHANGES: 'failed', SHARED_STATE_MAX_RETRIES: '1' });
    const daemon = ws.start();
    expect(await daemon.exited, daemon.output().slice(-3000)).toBe(1); // it ended with failed work
    expect(kinds(fake, 1)).toEqual(['claim', 'release:failed', 'poison']);
    expect(ledgerChain(fake, 1)[1]!.reason).toBe('no changes: codex/1-task-1 is still main');
    expect(fake.state.pulls(REPOSITORY)).toEqual([]);
    expect(branchSha(remote, 'codex/1-task-1')).toBeNull();
    expect(labels(fake, 1)).toEqual(['codex:failed']);
  });

  it('a push the remote refuses fails the attempt with a reason naming the push; no pull request', async () => {
    const { fake, remote } = await fakeWith(['Do thing 1.', 'Do thing 2.']);
    installHook(
      remote,
      'pre-receive',
      'while read old new ref; do\n' +
        '  if [ "$ref" = refs/heads/codex/1-task-1 ]; then echo "policy: $ref is frozen" >&2; exit 1; fi\n' +
        'done',
    );
    const ws = workstation(fake, tempDir(), 1, { SHARED_STATE_MAX_RETRIES: '1' });
    const daemon = ws.start();
    expect(await daemon.exited, daemon.output().slice(-3000)).toBe(1);
    expect(kinds(fake, 1)).toEqual(['claim', 'claim', 'release:failed', 'poison']); // claim, fence, …
    const reason = String(ledgerChain(fake, 1)[2]!.reason);
    expect(reason).toMatch(/^push of codex\/1-task-1 refused: /);
    expect(reason).toMatch(/policy: refs\/heads\/codex\/1-task-1 is frozen/);
    expect(branchSha(remote, 'codex/1-task-1')).toBeNull();
    expect(pullsOf(fake, 1)).toEqual([]);
    expect(labels(fake, 1)).toEqual(['codex:failed']);
    // The other issue, on a branch the remote takes, is delivered as usual.
    expect(pullsOf(fake, 2)).toHaveLength(1);
    expect(labels(fake, 2)).toEqual(['codex:done']);
  });

  it('a daemon restarted after a kill removes the worktree its predecessor left behind', async () => {
    const { fake } = await fakeWith(['Do thing 1. [sleep 20000 at epoch 1]']);
    const ws = workstation(fake, tempDir(), 1);
    const killed = ws.start(['--parallel', '1']);
    await waitFor(() => agentPids(ws.stateDir).length === 1, 30_000, 'the agent to start');
    strayAgents.push(...agentPids(ws.stateDir)); // it outlives its daemon, as on a crashed machine
    killed.child.kill('SIGKILL');
    await killed.exited;
    const [leftover] = worktreeNames(ws.stateDir);
    const leftoverDir = join(ws.stateDir, 'worktrees', leftover!);
    expect(git(ws.clone, ['worktree', 'list'])).toContain(leftoverDir);

    const restarted = ws.start();
    expect(await restarted.exited, restarted.output().slice(-3000)).toBe(0);
    const pruned = logLines(restarted).find(
      (l) => l.msg === 'removed worktrees a stopped daemon left behind',
    );
    expect(pruned).toMatchObject({ worktrees: [leftover] });
    expect(existsSync(leftoverDir)).toBe(false);
    expect(existsSync(`${leftoverDir}.json`)).toBe(false);
    expect(git(ws.clone, ['worktree', 'list'])).not.toContain(leftoverDir);
    expect(worktreeNames(ws.stateDir)).toEqual([]);
    // And the issue was still delivered, once.
    expect(pullsOf(fake, 1)).toHaveLength(1);
    expect(readFileSync(join(ws.clone, '.git', 'HEAD'), 'utf8')).toBe('ref: refs/heads/main\n');
  });
});
