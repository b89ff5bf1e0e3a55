/**
 * A release that meets GitHub failing (5xx, an outage) is not lost: it is kept until the ledger
 * takes it, the local claim is given back, and `--until-idle` ends. Real daemon processes
 * against the GitHub fake with its fault knobs.
 */
import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { afterEach, describe, expect, it } from 'vitest';
import { RefLedger, RestTransport } from '../../src/boards/github/ledger/index.js';
import { systemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { MemoryKeyValueStore } from '../../src/state/kv-store.js';
import { runCli } from '../support/cli.js';
import { startCuttingProxy } from '../support/cutting-proxy.js';
import {
  type DaemonProcess,
  MARKER,
  openTestState,
  readMarkers,
  startCli,
  waitFor,
} from '../support/daemons.js';
import { githubEnv, ledgerChain, ownerIssues, REPOSITORY, seedIssues } from '../support/github-daemons.js';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const fakes: FakeGitHub[] = [];
const running: DaemonProcess[] = [];
afterEach(async () => {
  for (const d of running.splice(0)) d.child.kill('SIGKILL');
  for (const f of fakes.splice(0)) await f.close();
});

/** Exit code, or 'hung' when the process has not exited within `ms` (it is then killed). */
async function exitWithin(d: DaemonProcess, ms: number): Promise<number | null | 'hung'> {
  const timer = new Promise<'hung'>((r) => setTimeout(() => r('hung'), ms).unref());
  const code = await Promise.race([d.exited, timer]);
  if (code === 'hung') d.child.kill('SIGKILL');
  return code;
}

/** One issue, one daemon (`--until-idle`) running a marker task of `sleepMs`, started. */
async function oneIssueDaemon(sleepMs: number, extra: Record<string, string> = {}) {
  const fake = await startFakeGitHub({ secondaryPerMinute: 100_000, secondaryPerHour: 100_000 });
  fakes.push(fake);
  seedIssues(fake, ownerIssues(1));
  const stateDir = join(tempDir(), 'state');
  const markers = join(tempDir(), 'markers.jsonl');
  const daemon = startCli(
    ['run', '--until-idle', '--owner', 'ws1/codex'],
    githubEnv(fake, stateDir, markers, {
      EXECUTOR_COMMAND: `node ${MARKER} ${markers} ${sleepMs}`,
      ...extra,
    }),
  );
  running.push(daemon);
  await waitFor(() => readMarkers(markers).length === 1, 30_000, 'the attempt to start');
  return { fake, stateDir, markers, daemon };
}

/** The daemon has tried its release and failed (it waits, then tries again). */
const releaseFailed = (daemon: DaemonProcess) => /release failed; trying again/.test(daemon.output());

/**
 * An outage from the attempt's start, hitting its release; it lasts until `until` (run inside
 * it) resolves: a condition the test waits for, not a guessed duration.
 */
async function outageDuringRelease(
  until: (run: { fake: FakeGitHub; stateDir: string; daemon: DaemonProcess }) => Promise<unknown>,
  /** How the outage begins and ends: by default every request answers 502/503. */
  kind: (fake: FakeGitHub) => { begin: () => void; end: () => void } = (fake) => ({
    begin: () => fake.setKnobs({ errorRate: 1 }),
    end: () => fake.setKnobs({ errorRate: 0 }),
  }),
) {
  // The outage must hit the release, not fence the attempt first: a long lease here.
  const { fake, stateDir, markers, daemon } = await oneIssueDaemon(1500, {
    SHARED_STATE_STALE_THRESHOLD_MS: '120000',
    TASK_CLAIM_OWNER_STALE_TTL_MS: '120000',
    SHARED_STATE_RENEW_DEADLINE_MS: '100000',
  });
  const outage = kind(fake);
  outage.begin();
  await waitFor(() => readMarkers(markers).some((m) => m.phase === 'end'), 10_000, 'the attempt to end');
  await until({ fake, stateDir, daemon });
  outage.end();
  const code = await exitWithin(daemon, 60_000);
  return { fake, stateDir, daemon, code };
}

/** The ledger holds the completion, the local claim is released, the issue shows codex:done. */
function expectRecorded(fake: FakeGitHub, stateDir: string): void {
  expect(ledgerChain(fake, 1).map((r) => [r.kind, r.outcome ?? null])).toEqual([
    ['claim', null],
    ['release', 'complete'],
  ]);
  const store = openTestState(stateDir);
  try {
    expect(store.get(`${REPOSITORY}#1`)?.state).toBe('done');
    expect(store.kv.entries(`github-pending-release:${REPOSITORY}`)).toEqual([]);
  } finally {
    store.close();
  }
  expect(fake.state.issue(REPOSITORY, 1)!.labels).toEqual(['codex:done']);
}

describe('GitHub board: a release that meets failures is kept until it lands', () => {
  it('a few seconds of 5xx at the release: the completion is recorded, the local claim released, --until-idle exits', async () => {
    const { fake, stateDir, daemon, code } = await outageDuringRelease((run) =>
      waitFor(() => releaseFailed(run.daemon), 10_000, 'the release to meet the outage'),
    );
    expect(code, daemon.output().slice(-3000)).toBe(0);
    expect(daemon.output()).toMatch(/release failed; trying again/); // it really met the outage
    expect(daemon.output()).not.toMatch(/release refused \(fenced\)/);
    expectRecorded(fake, stateDir);
  }, 90_000);

  it('an outage that outlasts the attempt’s retries: the daemon’s cycle records the release once GitHub is back', async () => {
    const { fake, stateDir, daemon, code } = await outageDuringRelease(async (run) => {
      const wait = () => /release not recorded yet/.test(run.daemon.output());
      await waitFor(wait, 22_000, 'the attempt to give up');
      // `status` shows the release still waiting to be recorded.
      const env = githubEnv(run.fake, run.stateDir, join(run.stateDir, 'unused'));
      const status = await runCli(['status'], { env });
      expect(status.stdout).toMatch(/#1: release \(complete\) not recorded in the ledger yet/);
      // GitHub is down for status too: it says so (exit 1) rather than hang or hide what it knows.
      expect(status.stdout).toMatch(/the fleet could not be read from GitHub/);
      expect(status.code).toBe(1);
    });
    expect(code, daemon.output().slice(-3000)).toBe(0);
    expect(daemon.output()).toMatch(/a pending release landed/);
    expectRecorded(fake, stateDir);
  }, 120_000);

  it('a token revoked while the attempt ends: the completion is recorded once a working token is back', async () => {
    const { fake, stateDir, daemon, code } = await outageDuringRelease(
      (run) => waitFor(() => releaseFailed(run.daemon), 10_000, 'the release to meet the revoked token'),
      (f) => ({
        begin: () => f.auth.revoke('test-token'),
        end: () => f.auth.restore('test-token'),
      }),
    );
    expect(code, daemon.output().slice(-3000)).toBe(0);
    expect(daemon.output()).toMatch(/Bad credentials/); // it really met the revoked token
    expect(daemon.output()).not.toMatch(/release refused \(fenced\)/);
    expectRecorded(fake, stateDir);
  }, 90_000);

  it('a claim lost mid-run (the ledger moved past it) gives the local claim back as well', async () => {
    const { fake, stateDir, markers, daemon } = await oneIssueDaemon(60_000);
    // Someone else's record lands on the running claim: a poison fences its live holder.
    const octokit = new Octokit({ baseUrl: fake.url, auth: 'test-token' });
    const admin = new RefLedger({
      transport: new RestTransport(octokit, 'acme', 'widgets', new MemoryKeyValueStore(), silentLogger()),
      clock: systemClock(),
      staleThresholdMs: 3000,
    });
    expect(await admin.poison(1, 'admin', 'stopped by a test')).toMatchObject({ ok: true, changed: true });
    expect(await exitWithin(daemon, 30_000)).not.toBe('hung');
    expect(daemon.output()).toMatch(/claim lost during the attempt/);
    expect(readMarkers(markers).map((m) => m.phase)).toEqual(['start', 'stopped']);
    expect(ledgerChain(fake, 1).map((r) => r.kind)).toEqual(['claim', 'poison']);
    const store = openTestState(stateDir);
    try {
      expect(store.get(`${REPOSITORY}#1`)?.state).not.toBe('claimed');
    } finally {
      store.close();
    }
  }, 60_000);

  it('SIGTERM during an outage exits at once; the next start records the abandoned release, then runs the issue', async () => {
    const { fake, stateDir, markers, daemon } = await oneIssueDaemon(60_000);
    fake.setKnobs({ errorRate: 1 });
    daemon.child.kill('SIGTERM');
    expect(await exitWithin(daemon, 15_000), daemon.output().slice(-3000)).toBe(0);
    expect(daemon.output()).toMatch(/release not recorded yet/);
    fake.setKnobs({ errorRate: 0 });
    const restarted = startCli(
      ['run', '--until-idle', '--owner', 'ws1/codex'],
      githubEnv(fake, stateDir, markers, { EXECUTOR_COMMAND: `node ${MARKER} ${markers} 10` }),
    );
    running.push(restarted);
    expect(await exitWithin(restarted, 60_000), restarted.output().slice(-3000)).toBe(0);
    // The first claim ended as it should (abandoned, no failed attempt counted), not taken over.
    expect(ledgerChain(fake, 1).map((r) => [r.kind, r.outcome ?? null, r.retries])).toEqual([
      ['claim', null, 0],
      ['release', 'abandoned', 0],
      ['claim', null, 0],
      ['release', 'complete', 0],
    ]);
    expect(restarted.output()).not.toMatch(/lost work/);
    expect(fake.state.issue(REPOSITORY, 1)!.labels).toEqual(['codex:done']);
  }, 90_000);

  it('an attempt that fenced itself in an outage: its abandoned release lands once GitHub is back, and the issue runs again', async () => {
    const { fake, markers, daemon } = await oneIssueDaemon(4000); // still running when it fences itself (~2 s)
    fake.setKnobs({ errorRate: 1 }); // no heartbeat lands: the attempt fences itself (renew deadline 1.65 s)
    await waitFor(() => /heartbeat overdue/.test(daemon.output()), 10_000, 'self-fencing');
    await new Promise((r) => setTimeout(r, 4000));
    fake.setKnobs({ errorRate: 0 });
    expect(await exitWithin(daemon, 60_000), daemon.output().slice(-3000)).toBe(0);
    expect(readMarkers(markers).map((m) => m.phase)).toEqual(['start', 'stopped', 'start', 'end']);
    expect(ledgerChain(fake, 1).map((r) => [r.kind, r.outcome ?? null])).toEqual([
      ['claim', null],
      ['release', 'abandoned'],
      ['claim', null],
      ['release', 'complete'],
    ]);
  }, 90_000);

  it('while its release cannot be recorded, the owner keeps heartbeating: nobody takes the finished issue over', async () => {
    const fake = await startFakeGitHub({ secondaryPerMinute: 100_000, secondaryPerHour: 100_000 });
    fakes.push(fake);
    seedIssues(fake, ownerIssues(1));
    const markers = join(tempDir(), 'markers.jsonl');
    // A partial outage: writing a release record fails, everything else (heartbeats included) works.
    let failing = false;
    const proxy = await startCuttingProxy(fake.url, {
      before: (req, body) =>
        failing && req.method === 'POST' && body.includes('codex-monitor: release') ? 503 : false,
    });
    const owner = startCli(
      ['run', '--until-idle', '--owner', 'ws1/codex'],
      githubEnv({ ...fake, url: proxy.url }, join(tempDir(), 'state'), markers, {
        EXECUTOR_COMMAND: `node ${MARKER} ${markers} 1500`,
      }),
    );
    running.push(owner);
    await waitFor(() => readMarkers(markers).length === 1, 30_000, 'the attempt to start');
    failing = true;
    const observer = startCli(
      ['run', '--until-idle', '--owner', 'ws2/codex'],
      githubEnv(fake, join(tempDir(), 'state'), markers, {
        EXECUTOR_COMMAND: `node ${MARKER} ${markers} 10`,
      }),
    );
    running.push(observer);
    await waitFor(() => /release not recorded yet/.test(owner.output()), 30_000, 'the attempt to give up');
    await new Promise((r) => setTimeout(r, 6000)); // twice the stale threshold
    failing = false;
    expect(await exitWithin(owner, 60_000), owner.output().slice(-3000)).toBe(0);
    expect(await exitWithin(observer, 60_000), observer.output().slice(-3000)).toBe(0);
    expect(ledgerChain(fake, 1).map((r) => [r.kind, r.owner, r.outcome ?? null])).toEqual([
      ['claim', 'ws1/codex', null],
      ['release', 'ws1/codex', 'complete'],
    ]);
    expect(readMarkers(markers).filter((m) => m.phase === 'start')).toHaveLength(1);
    await proxy.close();
  }, 120_000);
});
