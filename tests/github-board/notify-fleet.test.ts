import { join } from 'node:path';
import { Octokit } from '@octokit/rest';
import { afterEach, describe, expect, it } from 'vitest';
import { RefLedger, RestTransport } from '../../src/boards/github/ledger/index.js';
import { systemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { MemoryKeyValueStore } from '../../src/state/kv-store.js';
import { exitWithin, MARKER, readMarkers, startCli, waitFor } from '../support/daemons.js';
import {
  githubEnv,
  ledgerChain,
  ownerIssues,
  seedIssues,
  startGitHubDaemons,
} from '../support/github-daemons.js';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';
import { startReceiver } from '../support/notify-receiver.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The GitHub fake with `issues` owner issues, and a webhook receiver; both closed after the test. */
async function fakeWithReceiver(issues: number, limits: { primaryLimit?: number } = {}) {
  const fake: FakeGitHub = await startFakeGitHub({
    secondaryPerMinute: 100_000,
    secondaryPerHour: 100_000,
    ...limits,
  });
  cleanups.push(() => fake.close());
  const receiver = await startReceiver();
  cleanups.push(receiver.close);
  seedIssues(fake, ownerIssues(issues));
  return { fake, receiver };
}

describe('notifications from a fleet on the GitHub fake', () => {
  it('three daemons: one `poisoned` for the issue that fails, one `done` per completed issue, no secret in any', async () => {
    const { fake, receiver } = await fakeWithReceiver(3);
    // Issue 1 fails with a secret-looking line on stderr; the others pass.
    const command =
      "node -e \"console.error('tests are red ghp_0123456789abcdefghij0123'); process.exit(process.env.CODEX_MONITOR_TASK_ID.endsWith('#1') ? 1 : 0)\"";
    const daemons = startGitHubDaemons(fake, tempDir, join(tempDir(), 'markers.jsonl'), 3, undefined, {
      EXECUTOR_COMMAND: command,
      SHARED_STATE_MAX_RETRIES: '2',
      SHARED_STATE_BACKOFF_BASE_MS: '100',
      SHARED_STATE_BACKOFF_MAX_MS: '200',
      NOTIFY_WEBHOOK_URL: `${receiver.url}/hook/SECRETPATH`,
      NOTIFY_ON: 'poisoned,done',
    });
    for (const d of daemons) expect(await exitWithin(d, 90_000), d.output().slice(-3000)).not.toBe('hung');
    expect(ledgerChain(fake, 1).at(-1)?.kind).toBe('poison');

    const bodies = receiver.received.map((r) => JSON.parse(r.body) as Record<string, unknown>);
    const seen = bodies.map((b) => `${b.event} ${b.task}`).sort();
    expect(seen).toEqual(['done #2', 'done #3', 'poisoned #1']);
    const poisoned = bodies.find((b) => b.event === 'poisoned')!;
    expect(poisoned).toMatchObject({ repository: 'acme/widgets', issue: 1, error: null });
    expect(poisoned.owner).toMatch(/^ws[123]\/codex$/);
    const everything = receiver.received.map((r) => r.body).join('\n');
    expect(everything).not.toContain('test-token'); // the daemons' GITHUB_TOKEN
    expect(everything).not.toContain('tests are red'); // stderr stays out without PUBLISH_ERRORS
    for (const d of daemons) expect(d.output()).not.toContain('SECRETPATH');
  }, 120_000);

  it('an owner whose claim was taken from under it (a poison record by someone else) notifies `fenced`, once', async () => {
    const { fake, receiver } = await fakeWithReceiver(1);
    const markers = join(tempDir(), 'markers.jsonl');
    const daemon = startCli(
      ['run', '--until-idle', '--owner', 'ws1/codex'],
      githubEnv(fake, join(tempDir(), 'state'), markers, {
        EXECUTOR_COMMAND: `node ${MARKER} ${markers} 60000`,
        NOTIFY_WEBHOOK_URL: `${receiver.url}/hook`,
      }),
    );
    cleanups.push(async () => {
      daemon.child.kill('SIGKILL');
    });
    await waitFor(() => readMarkers(markers).length === 1, 30_000, 'the attempt to start');
    const admin = new RefLedger({
      transport: new RestTransport(
        new Octokit({ baseUrl: fake.url, auth: 'test-token' }),
        'acme',
        'widgets',
        new MemoryKeyValueStore(),
        silentLogger(),
      ),
      clock: systemClock(),
      staleThresholdMs: 3000,
    });
    expect(await admin.poison(1, 'admin', 'stopped by a test')).toMatchObject({ ok: true });
    expect(await exitWithin(daemon, 30_000), daemon.output().slice(-3000)).not.toBe('hung');
    // The admin wrote the poison record, not a daemon: no `poisoned` from ws1.
    expect(receiver.received.map((r) => JSON.parse(r.body))).toEqual([
      expect.objectContaining({ event: 'fenced', task: '#1', owner: 'ws1/codex', epoch: 1 }),
    ]);
  }, 60_000);

  it('a fence is told once across the fleet: by the owner whose own release ended a self-fenced epoch, by the taker of a takeover', async () => {
    const { fake, receiver } = await fakeWithReceiver(1);
    const markers = join(tempDir(), 'markers.jsonl');
    const env = (extra: Record<string, string>) =>
      githubEnv(fake, join(tempDir(), 'state'), markers, {
        NOTIFY_WEBHOOK_URL: `${receiver.url}/hook`,
        NOTIFY_ON: 'fenced',
        SHARED_STATE_RENEW_DEADLINE_MS: '1000',
        ...extra,
      });
    const a = startCli(
      ['run', '--owner', 'ws1/codex'],
      env({ EXECUTOR_COMMAND: `node ${MARKER} ${markers} 60000` }),
    );
    cleanups.push(async () => {
      a.child.kill('SIGCONT');
      a.child.kill('SIGKILL');
    });
    const fenced = () => receiver.received.map((r) => JSON.parse(r.body) as Record<string, unknown>);

    // 1. Paused past its renew deadline, alone: it fences itself, and its own `abandoned`
    //    release ends the epoch — it tells, once.
    const started = (epoch: number) =>
      readMarkers(markers).some((m) => m.phase === 'start' && m.epoch === epoch);
    await waitFor(() => started(1), 30_000, 'the first attempt');
    a.child.kill('SIGSTOP');
    const stoppedAt = Date.now();
    await waitFor(() => Date.now() - stoppedAt > 1500, 5_000, 'the renew deadline to pass while paused');
    a.child.kill('SIGCONT');
    await waitFor(() => receiver.received.length >= 1, 30_000, 'the self-fenced notice').catch((e: Error) => {
      throw new Error(`${e.message}\n${a.output().slice(-4000)}`);
    });
    expect(fenced()[0]).toMatchObject({
      event: 'fenced',
      task: '#1',
      owner: 'ws1/codex',
      epoch: 1,
      text: expect.stringContaining('self-fenced'),
    });
    expect(
      ledgerChain(fake, 1)
        .slice(0, 2)
        .map((r) => [r.kind, r.owner, r.outcome]),
    ).toEqual([
      ['claim', 'ws1/codex', undefined],
      ['release', 'ws1/codex', 'abandoned'],
    ]);

    // 2. It claims again (epoch 3) and is paused for good: another owner takes over and tells.
    await waitFor(() => started(3), 30_000, 'the second attempt');
    a.child.kill('SIGSTOP');
    const b = startCli(['run', '--until-idle', '--owner', 'ws2/codex'], env({}));
    cleanups.push(async () => {
      b.child.kill('SIGKILL');
    });
    expect(await exitWithin(b, 60_000), b.output().slice(-3000)).toBe(0);
    expect(ledgerChain(fake, 1).at(-1)).toMatchObject({ owner: 'ws2/codex', outcome: 'complete' });
    await waitFor(() => receiver.received.length >= 2, 30_000, "the taker's notice");
    expect(fenced()[1]).toMatchObject({
      event: 'fenced',
      owner: 'ws1/codex',
      epoch: 3,
      text: expect.stringContaining('taken over by ws2/codex'),
    });
    // Woken, the first owner fences itself and finds its release refused by that claim: it
    // stays silent (its notifier is flushed when it stops).
    a.child.kill('SIGCONT');
    await waitFor(() => /"msg":"fenced"/.test(a.output()), 30_000, 'the refused release');
    a.child.kill('SIGTERM');
    expect(await exitWithin(a, 30_000), a.output().slice(-3000)).toBe(0);
    expect(fenced().map((n) => [n.event, n.owner, n.epoch])).toEqual([
      ['fenced', 'ws1/codex', 1],
      ['fenced', 'ws1/codex', 3],
    ]);
  }, 120_000);

  it('a daemon that meets an exhausted rate limit notifies `rate-limited` (with NOTIFY_ON choosing it)', async () => {
    const { fake, receiver } = await fakeWithReceiver(5, { primaryLimit: 25 });
    const markers = join(tempDir(), 'markers.jsonl');
    const daemon = startCli(
      ['run', '--owner', 'ws1/codex'],
      githubEnv(fake, join(tempDir(), 'state'), markers, {
        NOTIFY_WEBHOOK_URL: `${receiver.url}/hook`,
        NOTIFY_ON: 'rate-limited',
      }),
    );
    cleanups.push(async () => {
      daemon.child.kill('SIGKILL');
    });
    await receiver.waitFor(1);
    expect(JSON.parse(receiver.received[0]!.body)).toMatchObject({
      event: 'rate-limited',
      owner: 'ws1/codex',
      repository: 'acme/widgets',
      text: expect.stringContaining("waiting on GitHub's primary rate limit"),
    });
    expect(fake.stats().primaryLimitHits).toBeGreaterThan(0);
    daemon.child.kill('SIGTERM');
    expect(await exitWithin(daemon, 30_000), daemon.output().slice(-3000)).toBe(0);
  }, 60_000);
});
