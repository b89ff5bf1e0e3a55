import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isProcessAlive } from '../../src/host/process-liveness.js';
import { MARKER, openTestState, readMarkers, startCli, waitFor } from '../support/daemons.js';
import { githubEnv, ledgerChain, ownerIssues, seedIssues } from '../support/github-daemons.js';
import { type FakeGitHub, startFakeGitHub } from '../support/github-fake/index.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const fakes: FakeGitHub[] = [];
const stray: number[] = [];
afterEach(async () => {
  for (const pid of stray.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  for (const f of fakes.splice(0)) await f.close();
});

/** One issue on a fake, and one workstation (state directory) whose attempts run 60 s unless MARKER_SLEEP says otherwise. */
async function workstation() {
  const fake = await startFakeGitHub({ secondaryPerMinute: 100_000, secondaryPerHour: 100_000 });
  fakes.push(fake);
  seedIssues(fake, ownerIssues(1));
  const dir = tempDir();
  const markers = join(dir, 'markers.jsonl');
  const env = githubEnv(fake, join(dir, 'state'), markers, {
    EXECUTOR_COMMAND: `node ${MARKER} ${markers} 60000`,
    EXECUTOR_ENV_PASSTHROUGH: 'MARKER_SLEEP',
  });
  const run = (args: string[] = [], extra: Record<string, string> = {}) =>
    startCli(['run', '--owner', 'ws1/codex', ...args], { ...env, ...extra });
  return { fake, dir, markers, run };
}

async function firstAttempt(markers: string) {
  const start = await waitFor(() => readMarkers(markers)[0], 30_000, 'the first attempt to start');
  stray.push(start.pid);
  return start.pid;
}

const gone = (pid: number) => !isProcessAlive(pid);
const starts = (markers: string) =>
  readMarkers(markers)
    .filter((r) => r.phase === 'start')
    .map((r) => [r.owner, r.concurrent]);

describe('GitHub board: a daemon that dies leaves no attempt running (real processes)', () => {
  it('SIGHUP stops it like SIGTERM: the attempt is stopped and released as abandoned', async () => {
    const { fake, dir, markers, run } = await workstation();
    const daemon = run();
    const agent = await firstAttempt(markers);

    daemon.child.kill('SIGHUP');
    expect(await daemon.exited, daemon.output().slice(-2000)).toBe(0);
    expect(gone(agent)).toBe(true);
    expect(readMarkers(markers).map((r) => r.phase)).toEqual(['start', 'stopped']);
    expect(ledgerChain(fake, 1).map((r) => [r.kind, r.outcome ?? null])).toEqual([
      ['claim', null],
      ['release', 'abandoned'],
    ]);
    // An agent can read everything under the state directory (its workspace lives there): the
    // token is in none of it — not in state.db (ETag cache, commits, cursors), not in a file.
    const files = readdirSync(join(dir, 'state'), { recursive: true, withFileTypes: true }).filter((f) =>
      f.isFile(),
    );
    expect(files.map((f) => f.name)).toContain('state.db');
    for (const f of files)
      expect(readFileSync(join(f.parentPath, f.name)).includes('test-token')).toBe(false);
  });

  it('SIGKILL of the daemon alone, restarted at once: the orphan died with it; the issue runs again, alone', async () => {
    const { fake, markers, run } = await workstation();
    const daemon = run();
    const agent = await firstAttempt(markers);

    daemon.child.kill('SIGKILL');
    await daemon.exited;
    await waitFor(() => gone(agent), 10_000, 'the orphaned attempt to die');
    const restarted = run(['--until-idle'], { MARKER_SLEEP: '100' });
    expect(await restarted.exited, restarted.output().slice(-2000)).toBe(0);

    expect(starts(markers)).toEqual([
      ['ws1/codex', []],
      ['ws1/codex', []],
    ]);
    expect(ledgerChain(fake, 1).at(-1)).toMatchObject({ kind: 'release', outcome: 'complete' });
  });

  it('an orphan whose watchdog died too is killed by the restarted daemon before the issue runs again', async () => {
    const { fake, dir, markers, run } = await workstation();
    const daemon = run();
    const agent = await firstAttempt(markers);
    const store = openTestState(join(dir, 'state'));
    let leader: number;
    try {
      leader = await waitFor(
        () =>
          store.db.prepare('SELECT exec_pid FROM tasks WHERE exec_pid IS NOT NULL').pluck().get() as number,
        10_000,
        'the attempt to be recorded',
      );
    } finally {
      store.close();
    }
    daemon.child.kill('SIGKILL');
    process.kill(leader, 'SIGKILL');
    await daemon.exited;
    await new Promise((r) => setTimeout(r, 300));
    expect(gone(agent)).toBe(false); // nothing stops it by itself now

    const restarted = run(['--until-idle'], { MARKER_SLEEP: '100' });
    expect(await restarted.exited, restarted.output().slice(-2000)).toBe(0);
    expect(gone(agent)).toBe(true);
    expect(starts(markers)).toEqual([
      ['ws1/codex', []],
      ['ws1/codex', []],
    ]);
    expect(ledgerChain(fake, 1).at(-1)).toMatchObject({ kind: 'release', outcome: 'complete' });
  });
});
