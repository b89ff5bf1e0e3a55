/**
 * A Jira issue delivered as a GitHub pull request, in-process: the Jira fake and the GitHub fake
 * over real HTTP, the claims in a git ledger, the code in the GitHub fake's real bare repository
 * (a clone of it is CODEX_MONITOR_REPO_DIR), attempts in real git worktrees delivered by the
 * daemon's own delivery step. Two attempts on one issue: one branch, one pull request.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createGitHubClient } from '../../src/boards/github/http/index.js';
import { PullRequests, withdrawPull } from '../../src/boards/github/pulls/index.js';
import type { JiraDelivery } from '../../src/boards/jira/index.js';
import { adfToText } from '../../src/boards/jira/index.js';
import { systemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { NOTIFY_EVENTS } from '../../src/core/notification.js';
import type { ActiveClaim, Board } from '../../src/daemon/board.js';
import { deliverAttempt } from '../../src/daemon/delivery.js';
import { GitWorkspaces } from '../../src/daemon/git-workspaces.js';
import { Notifier, webhookTarget } from '../../src/notify/index.js';
import { openSharedState } from '../../src/state/open-state.js';
import type { SharedState } from '../../src/state/shared-state.js';
import { userGitCredentials, Worktrees } from '../../src/workspaces/index.js';
import { jiraWorld } from '../contract/jira-world.js';
import type { FakeGitHub } from '../support/github-fake/index.js';
import { startReceiver } from '../support/notify-receiver.js';
import { changedFiles, git, startPullFake } from '../support/pull-request-fleet.js';
import { useTempDirs } from '../support/temp-dir.js';
import { any, never, until } from './jira-boards.js';

const tempDir = useTempDirs();
const closing: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closing.splice(0).reverse()) await close();
});

/** The code's repository on the GitHub fake, a clone of it, and the worktrees made from the clone. */
async function codeRepository(): Promise<{
  github: FakeGitHub;
  remote: string;
  workspaces: GitWorkspaces;
  store: SharedState;
}> {
  const github = await startPullFake(tempDir());
  closing.push(() => github.close());
  const remote = github.gitRemote('acme', 'widgets');
  const dir = tempDir();
  const clone = join(dir, 'clone');
  git(dir, ['clone', '--quiet', remote, clone]);
  const worktrees = new Worktrees({
    repoDir: clone,
    root: join(dir, 'worktrees'),
    remote: 'origin',
    baseBranch: 'main',
    freshRetry: false,
    keepFailedMs: 0,
    clock: systemClock(),
    owner: { pid: process.pid, pidStart: null },
    credentials: userGitCredentials,
  });
  const workspaces = new GitWorkspaces({
    worktrees,
    remote: 'origin',
    baseBranch: 'main',
    branchPrefix: 'codex/',
    credentials: userGitCredentials,
    author: { name: 'codex-monitor', email: 'bot@example.test' },
  });
  // The GitHub client's ETag cache (the daemon's own local store in `run`).
  const store = openSharedState({
    stateDir: join(dir, 'state'),
    sharedState: {
      staleThresholdMs: 60_000,
      ownerStaleTtlMs: 60_000,
      maxRetries: 3,
      backoffBaseMs: 1_000,
      backoffMaxMs: 1_000,
    },
    events: { maxEvents: 100, retentionDays: 1 },
  });
  closing.push(() => store.close());
  return { github, remote, workspaces, store };
}

/** The Jira world, the code's repository, and the delivery `run` would build (cli/open/jira-delivery.ts). */
async function jiraPullWorld() {
  const world = await jiraWorld();
  closing.push(() => world.close());
  const { github, remote, workspaces, store } = await codeRepository();
  const client = createGitHubClient({
    baseUrl: github.url,
    token: 'test-token',
    etags: store.kv,
    logger: silentLogger(),
    pacing: false,
  });
  const pulls = new PullRequests({ client, owner: 'acme', repo: 'widgets' });
  const delivery: JiraDelivery = {
    pulls,
    pullRequests: { draft: false, labels: ['codex'] },
    withdraw: (pr) => withdrawPull({ client, owner: 'acme', repo: 'widgets', pulls }, pr),
  };
  return { world, github, remote, workspaces, delivery };
}

/** One attempt as the daemon runs it: a worktree, the agent's edit, the delivery step. */
async function attempt(board: Board, workspaces: GitWorkspaces, claim: ActiveClaim, file: string) {
  const workspace = await workspaces.open(claim.task.work!, claim.ticket, never);
  writeFileSync(join(workspace.dir, file), `${file}\n`);
  const delivery = await deliverAttempt(board, claim, workspace, {
    noChanges: 'failed',
    artifactsDir: tempDir(),
    signal: never,
  });
  return { workspace, delivery };
}

describe('Jira issues delivered as pull requests', () => {
  it('pushes the branch, opens one pull request over two attempts, and moves the issue to In Review linking it', async () => {
    const { world, github, remote, workspaces, delivery } = await jiraPullWorld();
    const receiver = await startReceiver();
    closing.push(receiver.close);
    const notifier = new Notifier({
      targets: [webhookTarget(`${receiver.url}/hook`)],
      events: new Set(NOTIFY_EVENTS),
      clock: systemClock(),
      logger: silentLogger(),
    });
    const board = await world.open('ws1', undefined, delivery, notifier);
    closing.push(() => board.close());
    const issue = world.fake.create({
      project: 'OPS',
      summary: 'Fix the <b>login</b> @timeout',
      description: 'Secret plans: never in the pull request.',
      labels: ['codex'],
    });
    await board.register();
    await board.refresh(never);

    // Attempt 1: a branch named by the key, pushed; the pull request opened.
    const first = (await board.claimNext(any))!;
    expect(first.task.work).toEqual({
      key: issue.key,
      title: 'Fix the <b>login</b> @timeout',
      reference: issue.key,
      branch: null,
    });
    const one = await attempt(board, workspaces, first, 'one.md');
    expect(one.delivery).toMatchObject({
      outcome: 'complete',
      delivered: {
        branch: `codex/${issue.key}-fix-the-b-login-b-timeout`,
        changed: true,
        pr: { created: true },
      },
    });
    const delivered = one.delivery.outcome === 'complete' ? one.delivery.delivered! : undefined;
    const branch = delivered!.branch;
    expect(git(remote, ['rev-parse', `refs/heads/${branch}`])).toBe(delivered!.pushedSha);
    // It fails after all (its checks, say): released failed, the pull request stays the issue's.
    await board.release(first, 'failed', { error: 'checks failed', delivered }, never);
    await one.workspace.close(false);

    // Attempt 2, after the backoff: continues the branch and updates the same pull request.
    await world.elapse(world.longerThanAnyWait);
    await board.refresh(never);
    const second = (await board.claimNext(any))!;
    expect(second.task.work?.branch).toBe(branch);
    const two = await attempt(board, workspaces, second, 'two.md');
    expect(existsSync(join(two.workspace.dir, 'one.md'))).toBe(true);
    expect(two.delivery).toMatchObject({
      outcome: 'complete',
      delivered: { branch, pr: { number: delivered!.pr!.number, created: false } },
    });
    const final = two.delivery.outcome === 'complete' ? two.delivery.delivered! : undefined;
    expect(
      await board.release(second, 'complete', { ...(final ? { delivered: final } : {}) }, never),
    ).toMatchObject({
      ok: true,
      state: 'done',
    });
    await two.workspace.close(false);

    const prs = github.state.pulls('acme/widgets');
    expect(prs).toHaveLength(1);
    const pr = prs[0]!;
    expect(pr.pullRequest!.head).toBe(branch);
    expect(pr.title).toBe(`${issue.key}: Fix the <b>login</b> @timeout`);
    expect(pr.body).toContain(`Jira: [${issue.key}](${world.fake.url}/browse/${issue.key})`);
    expect(pr.body).not.toContain('Secret plans');
    expect(pr.body).not.toMatch(/Fixes #/);
    expect(pr.labels).toEqual(['codex']);
    expect(changedFiles(remote, branch)).toEqual(['one.md', 'two.md']);

    // The mirror, written behind: In Review, the done label, the comment linking the pull request.
    await until(() => world.fake.issue(issue.key).status === 'In Review');
    const jira = world.fake.issue(issue.key);
    expect(jira.labels).toContain('codex-done');
    expect(jira.comments).toHaveLength(1);
    expect(adfToText(jira.comments[0]!.body)).toContain(`Pull request: #${pr.number}`);
    expect(JSON.stringify(jira.comments[0]!.body)).toContain(`"href":"${delivered!.pr!.url}"`);

    // Told: `pr-opened` once (the second attempt updated it), then `done`, both linking the pull request.
    await notifier.close();
    const told = receiver.received.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(told.map((b) => `${b.event} ${b.task} ${b.url}`)).toEqual([
      `pr-opened ${issue.key} ${delivered!.pr!.url}`,
      `done ${issue.key} ${delivered!.pr!.url}`,
    ]);
    expect(told[1]!.text).toContain(`PR #${pr.number}`);
  });

  it('takes back the pull request of an attempt fenced after its push once the issue is poisoned', async () => {
    const { world, github, remote, workspaces, delivery } = await jiraPullWorld();
    const stalled = await world.open('ws1', undefined, delivery);
    const other = await world.open('ws2');
    closing.push(
      () => stalled.close(),
      () => other.close(),
    );
    const issue = world.fake.create({ project: 'OPS', summary: 'Stalls', labels: ['codex'] });
    for (const board of [stalled, other]) {
      await board.register();
      await board.refresh(never);
    }
    const c = (await stalled.claimNext(any))!;
    const { workspace, delivery: done } = await attempt(stalled, workspaces, c, 'late.md');
    const delivered = done.outcome === 'complete' ? done.delivered! : undefined;
    expect(delivered?.pr?.created).toBe(true);
    // ws1 falls silent before its release; ws2 takes the issue over and fails it until poisoned.
    await other.refresh(never); // an observer judges staleness from what it has itself seen
    await world.elapse(world.longerThanAnyWait);
    await other.refresh(never);
    let takeovers = 0;
    for (let i = 0; i < world.maxRetries + 1; i++) {
      const taken =
        (await other.claimNext({ purpose: 'recovery', signal: never })) ?? (await other.claimNext(any));
      if (!taken) break;
      takeovers++;
      await other.release(taken, 'failed', { error: 'boom' }, never);
      await world.elapse(world.longerThanAnyWait);
      await other.refresh(never);
    }
    expect(takeovers).toBeGreaterThan(0); // a takeover of a silent owner counts as a failed attempt too
    await until(() => world.fake.issue(issue.key).labels.includes('codex-failed'));
    // The stalled release is refused (fenced), and what it opened goes: nobody will continue it.
    expect(
      await stalled.release(c, 'complete', { ...(delivered ? { delivered } : {}) }, never),
    ).toMatchObject({
      ok: false,
    });
    await workspace.close(false);
    const [pr] = github.state.pulls('acme/widgets');
    expect(pr?.state).toBe('closed');
    expect(git(remote, ['branch', '--list', delivered!.branch])).toBe('');
  });
});
