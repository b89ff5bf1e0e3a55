import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MARKER, readMarkers, startCli, waitFor } from '../support/daemons.js';
import { githubEnv, ledgerChain, ownerIssues, REPOSITORY, seedIssues } from '../support/github-daemons.js';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const fakes: FakeGitHub[] = [];
const stray: number[] = [];
afterEach(async () => {
  for (const pid of stray.splice(0)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const f of fakes.splice(0)) await f.close();
});

async function oneIssueFake(): Promise<FakeGitHub> {
  const fake = await startFakeGitHub({ secondaryPerMinute: 100_000, secondaryPerHour: 100_000 });
  fakes.push(fake);
  seedIssues(fake, ownerIssues(1));
  return fake;
}

const chain = (fake: FakeGitHub) => ledgerChain(fake, 1);

/** A daemon on its own workstation (state directory) running `node marker <file> <sleepMs>` per issue. */
function daemon(
  fake: FakeGitHub,
  owner: string,
  markers: string,
  sleepMs: number,
  args: string[],
  extra = {},
) {
  return startCli(
    ['run', '--owner', owner, ...args],
    githubEnv(fake, join(tempDir(), 'state'), markers, {
      EXECUTOR_COMMAND: `node ${MARKER} ${markers} ${sleepMs}`,
      ...extra,
    }),
  );
}

describe('GitHub board: owners that die, pause or run on a skewed clock (real processes)', () => {
  it('a killed owner is taken over only after the stale threshold, on the taker’s own clock', async () => {
    const fake = await oneIssueFake();
    const markers = join(tempDir(), 'markers.jsonl');
    const first = daemon(fake, 'ws1/codex', markers, 60_000, []);
    await waitFor(() => readMarkers(markers).length === 1, 30_000, 'the first attempt');
    stray.push(readMarkers(markers)[0]!.pid); // its executor outlives it, like a crashed machine's would
    first.child.kill('SIGKILL');
    await first.exited;
    const startedAt = Date.now();
    const second = daemon(fake, 'ws2/codex', markers, 10, ['--until-idle']);
    expect(await second.exited, second.output().slice(-2000)).toBe(0);
    const takeover = readMarkers(markers).find((r) => r.owner === 'ws2/codex' && r.phase === 'start')!;
    // The newcomer had to watch the silent owner for a full threshold (3 s) itself.
    expect(takeover.at - startedAt).toBeGreaterThanOrEqual(3000);
    expect(chain(fake).map((r) => [r.kind, r.owner, r.outcome ?? null])).toEqual([
      ['claim', 'ws1/codex', null],
      ['claim', 'ws2/codex', null],
      ['release', 'ws2/codex', 'complete'],
    ]);
    expect(chain(fake)[1]).toMatchObject({
      epoch: 2,
      retries: 1,
      reason: expect.stringContaining('took over from ws1/codex'),
    });
  });

  it('a paused owner, resumed after a takeover, is fenced: its result discarded and nothing of it mirrored', async () => {
    const fake = await oneIssueFake();
    const markers = join(tempDir(), 'markers.jsonl');
    const zombie = daemon(fake, 'ws1/codex', markers, 20_000, []);
    await waitFor(() => readMarkers(markers).length === 1, 30_000, 'the first attempt');
    stray.push(readMarkers(markers)[0]!.pid);
    zombie.child.kill('SIGSTOP');
    const rescuer = daemon(fake, 'ws2/codex', markers, 10, ['--until-idle']);
    expect(await rescuer.exited, rescuer.output().slice(-2000)).toBe(0);
    zombie.child.kill('SIGCONT');
    await waitFor(
      () => /self-fenc|fenced|overdue/.test(zombie.output()),
      15_000,
      'the zombie to fence itself',
    );
    await new Promise((r) => setTimeout(r, 1500)); // let it try whatever it would write
    zombie.child.kill('SIGTERM');
    expect(await zombie.exited).toBe(0);

    const records = chain(fake);
    expect(records.map((r) => [r.kind, r.owner])).toEqual([
      ['claim', 'ws1/codex'],
      ['claim', 'ws2/codex'],
      ['release', 'ws2/codex'],
    ]);
    expect(records.at(-1)).toMatchObject({ outcome: 'complete' });
    // The human mirror shows the rescuer's result only.
    const issue = fake.state.issue(REPOSITORY, 1)!;
    expect(issue.labels.filter((l) => l.startsWith('codex:'))).toEqual(['codex:done']);
    const stateComments = fake.state
      .comments(REPOSITORY, 1)
      .filter((c) => c.body.includes('codex-monitor-state'));
    expect(stateComments).toHaveLength(1);
    expect(stateComments[0]!.body).toMatch(/ws2\/codex/);
    expect(stateComments[0]!.body).not.toMatch(/ws1\/codex/);
    // The zombie's executor was stopped when it fenced itself: it never finished.
    expect(readMarkers(markers).filter((r) => r.owner === 'ws1/codex' && r.phase === 'end')).toEqual([]);
  });

  it('an observer whose wall clock is an hour off takes nothing over from a live owner', async () => {
    const fake = await oneIssueFake();
    const markers = join(tempDir(), 'markers.jsonl');
    const holder = daemon(fake, 'ws1/codex', markers, 60_000, []);
    await waitFor(() => readMarkers(markers).length === 1, 30_000, 'the first attempt');
    const ahead = daemon(fake, 'ws2/codex', markers, 10, [], { CODEX_MONITOR_CLOCK_OFFSET_MS: '3600000' });
    const behind = daemon(fake, 'ws3/codex', markers, 10, [], { CODEX_MONITOR_CLOCK_OFFSET_MS: '-3600000' });
    await new Promise((r) => setTimeout(r, 8000)); // well past the 3 s threshold
    for (const d of [ahead, behind, holder]) d.child.kill('SIGTERM');
    expect(
      await Promise.all([ahead.exited, behind.exited, holder.exited]),
      [ahead, behind, holder].map((d) => d.output().slice(-3000)).join('\n----\n'),
    ).toEqual([0, 0, 0]);
    expect(
      readMarkers(markers)
        .filter((r) => r.phase === 'start')
        .map((r) => r.owner),
    ).toEqual(['ws1/codex']);
    expect(chain(fake).map((r) => [r.kind, r.owner, r.outcome ?? null])).toEqual([
      ['claim', 'ws1/codex', null],
      ['release', 'ws1/codex', 'abandoned'],
    ]);
  });
});

describe('GitHub board: one owner id used by two live daemons', () => {
  it('is refused: the owner ref shows another writer and a daemon stops with a clear message', async () => {
    const fake = await startFakeGitHub({ secondaryPerMinute: 100_000, secondaryPerHour: 100_000 });
    fakes.push(fake);
    seedIssues(fake, ownerIssues(4));
    const markers = join(tempDir(), 'markers.jsonl');
    const twins = [0, 1].map(() => daemon(fake, 'ws1/codex', markers, 60_000, ['--parallel', '2']));
    const first = await Promise.race(twins.map((t, i) => t.exited.then((code) => ({ code, i }))));
    expect(first.code).toBe(1);
    expect(twins[first.i]!.output()).toMatch(/Owner id "ws1\/codex" is already in use/);
    for (const pid of readMarkers(markers).map((r) => r.pid)) stray.push(pid);
    const other = twins[1 - first.i]!;
    other.child.kill('SIGTERM');
    await other.exited;
  });
});
