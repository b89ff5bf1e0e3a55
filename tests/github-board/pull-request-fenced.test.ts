/**
 * An attempt fenced after its push: it opened its pull request, then lost GitHub before its
 * release landed, and another owner took the issue over meanwhile. When it is heard again its
 * release is refused, and what it delivered is taken back — unless the next owner has built on
 * it already. Real daemons, real git, the fake behind a proxy that cuts the first daemon off.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startCuttingProxy } from '../support/cutting-proxy.js';
import type { DaemonProcess } from '../support/daemons.js';
import { waitFor } from '../support/daemons.js';
import { ledgerChain, logLines, ownerIssues, seedIssues } from '../support/github-daemons.js';
import { branchSha } from '../support/github-fake/index.js';
import { startReceiver } from '../support/notify-receiver.js';
import {
  agentPids,
  killAgents,
  pullsOf,
  startPullFake,
  type Workstation,
  workstation,
} from '../support/pull-request-fleet.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const BRANCH = 'codex/1-task-1';

/**
 * Issue 1, and a first daemon that opens its pull request and is then cut off from GitHub
 * (every request answered 503) until `reconnect()`: its release cannot land.
 */
async function cutOffAfterItsPullRequest(body: string, env: Record<string, string> = {}) {
  const fake = await startPullFake(tempDir());
  cleanups.push(() => fake.close());
  seedIssues(
    fake,
    ownerIssues(1, () => ({ body })),
  );
  let cut = false;
  const proxy = await startCuttingProxy(fake.url, {
    before: () => (cut ? 503 : false),
    after: (req, status) => {
      if (req.method === 'POST' && /\/pulls$/.test(req.url ?? '') && status === 201) cut = true;
      return false;
    },
  });
  cleanups.push(() => proxy.close());
  const first = workstation(fake, tempDir(), 1, { ...env, GITHUB_API_URL: proxy.url });
  const cutOff = track(first, first.start([]));
  const pull = await waitFor(() => cut && pullsOf(fake, 1)[0], 30_000, 'the first pull request');
  const pushed = branchSha(fake.gitRemote('acme', 'widgets'), BRANCH)!;
  return {
    fake,
    cutOff,
    pull,
    pushed,
    reconnect: () => {
      cut = false;
    },
  };
}

function track(ws: Workstation, daemon: DaemonProcess): DaemonProcess {
  cleanups.push(() => {
    daemon.child.kill('SIGKILL');
    killAgents(agentPids(ws.stateDir));
  });
  return daemon;
}

/** Its release refused: heard by the attempt itself, or by a later cycle retrying it. */
const refusedRelease = (daemon: DaemonProcess) =>
  logLines(daemon).some(
    (l) =>
      l.msg === 'a pending release was fenced: result discarded' ||
      l.msg === 'release refused (fenced): result discarded',
  );

describe('an attempt fenced after its push (real daemons, real git, the fake over HTTP)', () => {
  it('leaves them to the next owner still at work, who continues the branch and updates the same pull request', async () => {
    const { fake, cutOff, pull, pushed, reconnect } = await cutOffAfterItsPullRequest(
      'Do thing 1. [sleep 10000 after epoch 1]',
    );
    const remote = fake.gitRemote('acme', 'widgets');
    // The next owner takes the issue over and is still at work when the first is heard again.
    const nextWs = workstation(fake, tempDir(), 2);
    const next = track(nextWs, nextWs.start(['--until-idle']));
    await waitFor(() => ledgerChain(fake, 1).some((r) => r.owner === 'ws2/codex'), 30_000, 'the takeover');
    reconnect();
    await waitFor(() => refusedRelease(cutOff), 30_000, 'the first release to be refused');
    await waitFor(
      () =>
        logLines(cutOff).some(
          (l) => l.msg === 'left the pull request of a fenced attempt to the next owner of the issue',
        ),
      10_000,
      'the fenced delivery to be settled',
    );
    // Pushed under a claim the ledger had just proven: nothing of it is taken back meanwhile.
    expect(pullsOf(fake, 1).map((p) => [p.number, p.state])).toEqual([[pull.number, 'open']]);
    expect(branchSha(remote, BRANCH)).toBe(pushed);
    // The next owner continues that branch and updates that pull request: still one per issue.
    expect(await next.exited, next.output().slice(-3000)).toBe(0);
    expect(pullsOf(fake, 1).map((p) => [p.number, p.state])).toEqual([[pull.number, 'open']]);
    expect(branchSha(remote, BRANCH)).not.toBe(pushed);
    expect(ledgerChain(fake, 1).at(-1)).toMatchObject({
      owner: 'ws2/codex',
      outcome: 'complete',
      pr: pull.number,
    });
  });

  it('leaves them to the next owner who continued the branch and updated the pull request; one pr-opened, one fenced', async () => {
    const receiver = await startReceiver();
    cleanups.push(receiver.close);
    const notify = { NOTIFY_WEBHOOK_URL: `${receiver.url}/hook`, NOTIFY_ON: 'pr-opened,fenced,done' };
    const { fake, cutOff, pull, pushed, reconnect } = await cutOffAfterItsPullRequest('Do thing 1.', notify);
    // Told when the pull request was opened: its release has not landed (it cannot, cut off).
    await waitFor(() => receiver.received.length > 0, 30_000, 'the pr-opened notice');
    const sent = () => receiver.received.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    expect(sent()[0]).toMatchObject({ event: 'pr-opened', owner: 'ws1/codex', task: '#1' });
    const nextWs = workstation(fake, tempDir(), 2, notify);
    const next = track(nextWs, nextWs.start(['--until-idle']));
    expect(await next.exited, next.output().slice(-3000)).toBe(0);
    const remote = fake.gitRemote('acme', 'widgets');
    const delivered = branchSha(remote, BRANCH);
    expect(delivered).not.toBe(pushed); // the next owner pushed on top of the first one's work
    expect(ledgerChain(fake, 1).at(-1)).toMatchObject({ owner: 'ws2/codex', pr: pull.number });

    reconnect();
    await waitFor(() => refusedRelease(cutOff), 30_000, 'the first release to be refused');
    await new Promise((r) => setTimeout(r, 1500)); // room for whatever it would still close or delete
    expect(pullsOf(fake, 1).map((p) => [p.number, p.state])).toEqual([[pull.number, 'open']]);
    expect(branchSha(remote, BRANCH)).toBe(delivered);
    expect(logLines(cutOff).map((l) => l.msg)).toContain(
      'left the pull request of a fenced attempt to the next owner of the issue',
    );
    // The taker told the fence when it claimed; the fenced owner, refused, stays silent (its
    // notifier is flushed when it stops). The taker updated the pull request: no second pr-opened.
    cutOff.child.kill('SIGTERM');
    await cutOff.exited;
    expect(
      sent()
        .map((n) => `${n.event} ${n.owner}`)
        .sort(),
    ).toEqual(['done ws2/codex', 'fenced ws1/codex', 'pr-opened ws1/codex']);
  });

  it('takes them back when no attempt will follow: the chain was poisoned meanwhile', async () => {
    const { fake, cutOff, pull, reconnect } = await cutOffAfterItsPullRequest('Do thing 1.');
    // The next daemon finds the silent owner's claim at the retry limit: it poisons the issue.
    const nextWs = workstation(fake, tempDir(), 2, { SHARED_STATE_MAX_RETRIES: '1' });
    const next = track(nextWs, nextWs.start(['--until-idle']));
    await next.exited;
    expect(ledgerChain(fake, 1).at(-1)).toMatchObject({ kind: 'poison', owner: 'ws2/codex' });
    reconnect();
    await waitFor(() => refusedRelease(cutOff), 30_000, 'the first release to be refused');
    await waitFor(() => pullsOf(fake, 1)[0]!.state === 'closed', 10_000, 'the pull request to close');
    await waitFor(
      () => branchSha(fake.gitRemote('acme', 'widgets'), BRANCH) === null,
      10_000,
      'the branch to go',
    );
    expect(pullsOf(fake, 1).map((p) => [p.number, p.state])).toEqual([[pull.number, 'closed']]);
    expect(logLines(cutOff).map((l) => l.msg)).toContain(
      'closed the pull request of a fenced attempt and deleted its branch',
    );
  });
});
