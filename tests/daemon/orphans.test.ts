import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isProcessAlive } from '../../src/host/process-liveness.js';
import { cliCommand, runCli } from '../support/cli.js';
import { fastEnv, openTestState, readMarkers, startCli, waitFor, writeDag } from '../support/daemons.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();
const stray: number[] = [];
afterEach(() => {
  for (const pid of stray.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** A state directory with one task whose attempt runs 60 s, unless MARKER_SLEEP says otherwise. */
async function longTask() {
  const dir = tempDir();
  const markers = join(dir, 'markers.jsonl');
  const env = fastEnv(dir, { EXECUTOR_ENV_PASSTHROUGH: 'MARKER_SLEEP' });
  await runCli(['tasks', 'seed', writeDag(dir, [{ id: 'long', sleepMs: 60_000 }], markers)], { env });
  return { dir, markers, env };
}

/** The first attempt, once it runs: its agent's pid (recorded by itself). */
async function firstAttempt(markers: string) {
  const start = await waitFor(() => readMarkers(markers)[0], 30_000, 'the first attempt to start');
  stray.push(start.pid);
  return start.pid;
}

const gone = (pid: number) => !isProcessAlive(pid);
/** util-linux `script`, which runs a command on a pseudo-terminal of its own (Linux only). */
const HAS_SCRIPT = process.platform === 'linux' && spawnSync('script', ['--version']).status === 0;

describe('a daemon that dies leaves no attempt running (real processes, local board)', () => {
  it('SIGHUP (a closed terminal) stops it like SIGTERM: the attempt is stopped and its claim released', async () => {
    const { dir, markers, env } = await longTask();
    const daemon = startCli(['run', '--owner', 'w'], env);
    const agent = await firstAttempt(markers);

    daemon.child.kill('SIGHUP');
    expect(await daemon.exited, daemon.output()).toBe(0);
    expect(gone(agent)).toBe(true);
    expect(readMarkers(markers).map((r) => r.phase)).toEqual(['start', 'stopped']);
    const store = openTestState(dir);
    try {
      expect(store.get('long')).toMatchObject({ state: 'ready', lastOutcome: 'abandoned', retryCount: 0 });
    } finally {
      store.close();
    }
  });

  it.skipIf(!HAS_SCRIPT)(
    'closing its terminal (a real pty hang-up) stops it gracefully: attempt stopped, claim released, no abort',
    async () => {
      const { dir, markers, env } = await longTask();
      const err = join(dir, 'daemon.err');
      // stdin and stdout on the pseudo-terminal `script` makes; stderr to a file we can read.
      const command = `exec ${cliCommand('run', '--owner', 'tty')} 2>>${err}`;
      const terminal = spawn('script', ['-qfec', command, '/dev/null'], {
        env: { ...process.env, ...env },
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      stray.push(terminal.pid!);
      await firstAttempt(markers);
      const store = openTestState(dir);
      try {
        const daemon = store.owners.list().find((o) => o.id === 'tty')!.pid;
        terminal.kill('SIGKILL'); // the terminal window closes: the kernel hangs up its session
        await waitFor(() => gone(daemon), 20_000, 'the daemon to stop');
        expect(readMarkers(markers).map((r) => r.phase)).toEqual(['start', 'stopped']);
        expect(store.get('long')).toMatchObject({ state: 'ready', lastOutcome: 'abandoned', retryCount: 0 });
        // It did not abort on the way out (Node restoring a terminal that is gone).
        expect(readFileSync(err, 'utf8')).not.toMatch(/Assertion failed|Native stack trace/);
      } finally {
        store.close();
      }
    },
  );

  it('SIGKILL of the daemon alone: its attempt dies with it, and the next daemon runs the task once, alone', async () => {
    const { dir, markers, env } = await longTask();
    const daemon = startCli(['run', '--owner', 'w1'], env);
    const agent = await firstAttempt(markers);

    daemon.child.kill('SIGKILL');
    await daemon.exited;
    // The watchdog leading the attempt's group saw its daemon die: the agent is gone, with no
    // other daemon around to reap it.
    await waitFor(() => gone(agent), 10_000, 'the orphaned attempt to die');

    const next = await runCli(['run', '--until-idle', '--owner', 'w2'], {
      env: { ...env, MARKER_SLEEP: '100' },
    });
    expect(next.code, next.stderr).toBe(0);
    const starts = readMarkers(markers).filter((r) => r.phase === 'start');
    expect(starts.map((r) => [r.owner, r.concurrent])).toEqual([
      ['w1', []],
      ['w2', []],
    ]);
    const store = openTestState(dir);
    try {
      expect(store.get('long')).toMatchObject({ state: 'done', epoch: 2 });
    } finally {
      store.close();
    }
  });

  it('an orphan without its watchdog is killed by the next daemon, which waits for it before running the task', async () => {
    const { dir, markers, env } = await longTask();
    const daemon = startCli(['run', '--owner', 'w1'], env);
    const agent = await firstAttempt(markers);
    const store = openTestState(dir);
    try {
      const leader = store.db.prepare("SELECT exec_pid FROM tasks WHERE id = 'long'").pluck().get() as number;
      expect(leader).not.toBe(agent); // the group's leader is the watchdog, the agent its child
      // A machine that lost the daemon and the watchdog, not the agent: nothing stops it by itself.
      daemon.child.kill('SIGKILL');
      process.kill(leader, 'SIGKILL');
      await daemon.exited;
      await new Promise((r) => setTimeout(r, 300));
      expect(gone(agent)).toBe(false);

      const next = await runCli(['run', '--until-idle', '--owner', 'w2'], {
        env: { ...env, MARKER_SLEEP: '100' },
      });
      expect(next.code, next.stderr).toBe(0);
      expect(gone(agent)).toBe(true);
      const starts = readMarkers(markers).filter((r) => r.phase === 'start');
      expect(starts.map((r) => [r.owner, r.concurrent])).toEqual([
        ['w1', []],
        ['w2', []],
      ]);
      expect(store.get('long')).toMatchObject({ state: 'done', epoch: 2 });
      expect(store.events.query({ taskId: 'long', types: ['swept'] })[0]!.data.cause).toBe('pid-dead');
    } finally {
      store.close();
    }
  });
});
