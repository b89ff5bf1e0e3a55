/**
 * Owners that pause or die around delivery, with real daemons, real git and the fake's bare
 * repository: whatever happens, one pull request per issue — a paused owner pushes nothing once
 * taken over, and a crash between the push and the pull request is finished by the next owner.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DaemonProcess } from '../support/daemons.js';
import { waitFor } from '../support/daemons.js';
import { ledgerChain, logLines, ownerIssues, REPOSITORY, seedIssues } from '../support/github-daemons.js';
import { branchSha, type FakeGitHub } from '../support/github-fake/index.js';
import {
  agentPids,
  git,
  installHook,
  keepReflog,
  killAgents,
  pullsOf,
  pushesTo,
  startPullFake,
  workstation,
} from '../support/pull-request-fleet.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const fakes: FakeGitHub[] = [];
const daemons: DaemonProcess[] = [];
const strayAgents: number[] = [];
const releases: string[] = [];
afterEach(async () => {
  for (const file of releases.splice(0)) writeFileSync(file, '');
  for (const d of daemons.splice(0)) d.child.kill('SIGKILL');
  killAgents(strayAgents.splice(0));
  for (const f of fakes.splice(0)) await f.close();
});

const BRANCH = 'codex/1-task-1';

async function oneIssue(body: string): Promise<{ fake: FakeGitHub; remote: string }> {
  const fake = await startPullFake(tempDir());
  fakes.push(fake);
  seedIssues(
    fake,
    ownerIssues(1, () => ({ body })),
  );
  const remote = fake.gitRemote('acme', 'widgets');
  keepReflog(remote);
  return { fake, remote };
}

/** Owner and epoch of a commit, from the trailers the daemon commits with. */
const trailersOf = (remote: string, rev: string) =>
  git(remote, ['log', '-1', '--format=%(trailers:key=Codex-Monitor-Owner,valueonly)', rev]);

const FENCED_BEFORE_DELIVERY = [
  'heartbeat overdue: fencing myself, stopping every attempt',
  'claim lost before delivery: result discarded',
];

const owners = (fake: FakeGitHub) => ledgerChain(fake, 1).map((r) => [r.kind, r.owner, r.outcome ?? null]);

/** The taker: a second workstation, run until idle, expected to exit 0. */
async function takeOver(fake: FakeGitHub): Promise<void> {
  const taker = workstation(fake, tempDir(), 2).start(['--until-idle']);
  expect(await taker.exited, taker.output().slice(-3000)).toBe(0);
}

/** The one pull request of issue 1, the taker's, on a branch holding the first commit and its own. */
function expectOnePullContinuingTheBranch(fake: FakeGitHub, remote: string, firstPush: string): void {
  const pulls = pullsOf(fake, 1);
  expect(pulls.map((p) => [p.state, p.pullRequest!.head])).toEqual([['open', BRANCH]]);
  expect(pulls[0]!.body).toMatch(/ws2\/codex/);
  expect(git(remote, ['rev-list', '--count', `main..${BRANCH}`])).toBe('2');
  expect(git(remote, ['rev-parse', `${BRANCH}^`])).toBe(firstPush);
  expect(pushesTo(remote, BRANCH)).toEqual([firstPush, branchSha(remote, BRANCH)]);
  expect(trailersOf(remote, BRANCH)).toBe('ws2/codex');
  expect(ledgerChain(fake, 1).at(-1)).toMatchObject({
    kind: 'release',
    owner: 'ws2/codex',
    outcome: 'complete',
    pr: pulls[0]!.number,
    branch: BRANCH,
  });
}

describe('delivery under takeovers (real daemons, real git, the fake over HTTP)', () => {
  it('a daemon paused past the threshold in its agent run is taken over, and then pushes nothing', async () => {
    const { fake, remote } = await oneIssue('Do thing 1. [sleep 6000 at epoch 1]');
    const first = workstation(fake, tempDir(), 1);
    const zombie = first.start([]);
    daemons.push(zombie);
    await waitFor(() => agentPids(first.stateDir).length === 1, 30_000, 'the first agent to start');
    zombie.child.kill('SIGSTOP'); // its agent goes on and finishes meanwhile: the work is there
    await takeOver(fake);
    zombie.child.kill('SIGCONT');
    // Fenced before anything could leave: its heartbeat overdue on waking (self-fencing), or
    // else its delivery fence refused by the ledger — never a push tried and refused by lease.
    await waitFor(
      () => logLines(zombie).some((l) => FENCED_BEFORE_DELIVERY.includes(String(l.msg))),
      15_000,
      'the paused owner to fence itself',
    );
    await new Promise((r) => setTimeout(r, 2000)); // room for whatever it would still push or open
    zombie.child.kill('SIGTERM');
    expect(await zombie.exited, zombie.output().slice(-3000)).toBe(0);

    // The branch was pushed once, by the taker; one pull request, the taker's.
    const tip = branchSha(remote, BRANCH)!;
    expect(pushesTo(remote, BRANCH)).toEqual([tip]);
    expect(git(remote, ['rev-list', '--count', `main..${BRANCH}`])).toBe('1');
    expect(trailersOf(remote, BRANCH)).toBe('ws2/codex');
    expect(pullsOf(fake, 1).map((p) => [p.state, p.body?.includes('ws2/codex')])).toEqual([['open', true]]);
    // Nothing of the paused owner after its claim: no fence, no release.
    expect(owners(fake)).toEqual([
      ['claim', 'ws1/codex', null],
      ['claim', 'ws2/codex', null],
      ['claim', 'ws2/codex', null], // the taker's delivery fence
      ['release', 'ws2/codex', 'complete'],
    ]);
  });

  it('a crash after the push, before the pull request: the next owner continues the branch and opens it', async () => {
    const { fake, remote } = await oneIssue('Do thing 1.');
    // The first push lands, then hangs in the remote's post-receive hook until the test lets go:
    // its daemon is killed with the branch on the remote and no pull request asked for.
    const release = join(tempDir(), 'let-go');
    releases.push(release);
    installHook(
      remote,
      'post-receive',
      `[ -e "${release}.held" ] && exit 0\n: > "${release}.held"\n` +
        `i=0; while [ ! -e "${release}" ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done`,
    );
    const crashed = workstation(fake, tempDir(), 1).start([]);
    daemons.push(crashed);
    const firstPush = await waitFor(() => branchSha(remote, BRANCH), 30_000, 'the first push');
    crashed.child.kill('SIGKILL');
    await crashed.exited;
    expect(fake.state.pulls(REPOSITORY)).toEqual([]);

    await takeOver(fake);
    expectOnePullContinuingTheBranch(fake, remote, firstPush);
    expect(pullsOf(fake, 1)[0]!.body).not.toMatch(/ws1\/codex/);
  });

  it('a crash after the pull request landed, before its answer: the next owner reuses it', async () => {
    const { fake, remote } = await oneIssue('Do thing 1.');
    fake.setKnobs({ pullCreateAnswerDelayMs: 20_000 });
    const crashed = workstation(fake, tempDir(), 1).start([]);
    daemons.push(crashed);
    const created = await waitFor(() => pullsOf(fake, 1)[0], 30_000, 'the first pull request');
    crashed.child.kill('SIGKILL');
    await crashed.exited;
    fake.setKnobs({ pullCreateAnswerDelayMs: 0 });
    const firstPush = branchSha(remote, BRANCH)!;
    expect(created.body).toMatch(/ws1\/codex/);

    await takeOver(fake);
    expectOnePullContinuingTheBranch(fake, remote, firstPush);
    expect(pullsOf(fake, 1)[0]!.number).toBe(created.number);
  });
});
