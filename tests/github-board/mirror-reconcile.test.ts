/**
 * The mirror (labels and the state comment) is derived from the ledger: what a crash or a lagging
 * read left wrong is repaired. Real daemon processes against the GitHub fake.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Cuts, startCuttingProxy } from '../support/cutting-proxy.js';
import { type DaemonProcess, MARKER, openTestState, readMarkers, startCli } from '../support/daemons.js';
import { mirrorState, settledMirror } from '../support/fleet/mirror-state.js';
import { githubEnv, ledgerChain, ownerIssues, REPOSITORY, seedIssues } from '../support/github-daemons.js';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function newFake(): Promise<FakeGitHub> {
  const fake = await startFakeGitHub({ secondaryPerMinute: 100_000, secondaryPerHour: 100_000 });
  cleanups.push(() => fake.close());
  return fake;
}

async function startProxy(target: string, cuts: Cuts): Promise<string> {
  const proxy = await startCuttingProxy(target, cuts);
  cleanups.push(proxy.close);
  return proxy.url;
}

function run(fake: FakeGitHub, stateDir: string, markers: string, args: string[], extra = {}): DaemonProcess {
  const daemon = startCli(
    ['run', '--owner', 'ws1/codex', ...args],
    githubEnv(fake, stateDir, markers, extra),
  );
  cleanups.push(() => {
    daemon.child.kill('SIGKILL');
  });
  return daemon;
}

const stateComments = (fake: FakeGitHub, issue: number) =>
  fake.state.comments(REPOSITORY, issue).filter((c) => c.body.includes('codex-monitor-state'));

describe('GitHub board: the mirror is reconciled from the ledger', () => {
  /**
   * One daemon on issue #1, SIGKILLed by the proxy at the moment `cut` says; returns the fake,
   * the state directory and the markers file once it is dead.
   */
  async function killedAtRelease(cut: (kill: () => boolean) => Cuts) {
    const fake = await newFake();
    seedIssues(fake, ownerIssues(1));
    const stateDir = join(tempDir(), 'state');
    const markers = join(tempDir(), 'markers.jsonl');
    let victim: DaemonProcess | null = null;
    let killed = false;
    const kill = () => {
      if (killed || ledgerChain(fake, 1).at(-1)?.kind !== 'release') return false;
      killed = true;
      victim?.child.kill('SIGKILL');
      return true;
    };
    const proxy = await startProxy(fake.url, cut(kill));
    // A task longer than the "working" mirror's delay: the issue shows codex:working when it dies.
    victim = run({ ...fake, url: proxy } as FakeGitHub, stateDir, markers, [], {
      EXECUTOR_COMMAND: `node ${MARKER} ${markers} 3500`,
    });
    expect(await victim.exited).toBeNull(); // killed by the signal
    expect(killed).toBe(true);
    expect(ledgerChain(fake, 1).map((r) => [r.kind, r.outcome ?? null])).toEqual([
      ['claim', null],
      ['release', 'complete'],
    ]);
    expect(mirrorState(fake, 1).disagreeing).toHaveLength(1); // left showing the attempt at work
    expect(fake.state.issue(REPOSITORY, 1)!.labels).toEqual(['codex:working']);
    return { fake, stateDir, markers };
  }

  /** Restarts the daemon with --until-idle: it must end with the mirror showing the completion. */
  async function expectRepairedByRestart(fake: FakeGitHub, stateDir: string, markers: string) {
    const restarted = run(fake, stateDir, markers, ['--until-idle']);
    expect(await restarted.exited, restarted.output().slice(-3000)).toBe(0);
    expect(fake.state.issue(REPOSITORY, 1)!.labels).toEqual(['codex:done']);
    expect(stateComments(fake, 1)).toHaveLength(1);
    expect(stateComments(fake, 1)[0]!.body).toMatch(/codex-monitor\*\* · done/);
    expect(mirrorState(fake, 1)).toMatchObject({ disagreeing: [], multipleStateComments: [] });
    // Nothing ran twice, and the local claim is settled too.
    expect(readMarkers(markers).filter((m) => m.phase === 'start')).toHaveLength(1);
    expect(ledgerChain(fake, 1)).toHaveLength(2);
    const store = openTestState(stateDir);
    try {
      expect(store.get(`${REPOSITORY}#1`)?.state).toBe('done');
    } finally {
      store.close();
    }
  }

  it('a daemon SIGKILLed right after its release landed, before its mirror writes, is repaired by its restart', async () => {
    const mirrorWrite = /\/issues\/1\/(labels|comments)|\/issues\/comments\//;
    const { fake, stateDir, markers } = await killedAtRelease((kill) => ({
      before: (req) => (mirrorWrite.test(req.url ?? '') && kill() ? 'drop' : false),
    }));
    await expectRepairedByRestart(fake, stateDir, markers);
  }, 90_000);

  it('a daemon SIGKILLed before it heard its release landed: the restart settles the release and the mirror', async () => {
    const release = /codex-monitor%2Ftasks%2F1$|codex-monitor\/tasks\/1$/;
    const { fake, stateDir, markers } = await killedAtRelease((kill) => ({
      after: (req, status) =>
        req.method === 'PATCH' && release.test(req.url ?? '') && status === 200 && kill(),
    }));
    await expectRepairedByRestart(fake, stateDir, markers);
  }, 90_000);

  it('under read lag, every issue ends showing what its ledger tip says (no "working" after the release)', async () => {
    const fake = await newFake();
    seedIssues(fake, ownerIssues(6));
    fake.setKnobs({ readLagMs: 1500, latencyMs: 120 });
    const markers = join(tempDir(), 'markers.jsonl');
    const daemon = run(fake, join(tempDir(), 'state'), markers, ['--until-idle', '--parallel', '3'], {
      EXECUTOR_COMMAND: `node ${MARKER} ${markers} 2500`,
    });
    expect(await daemon.exited, daemon.output().slice(-3000)).toBe(0);
    for (let n = 1; n <= 6; n++) expect(ledgerChain(fake, n).at(-1)).toMatchObject({ outcome: 'complete' });
    const check = await settledMirror(fake, 6, 0); // the daemon has exited: nothing more will come
    expect(check.disagreeing).toEqual([]);
    expect(check.multipleStateComments).toEqual([]);
  }, 120_000);
});
