import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { fastEnv, openTestState, readMarkers, startCli, waitFor, writeDag } from '../support/daemons.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();

describe('faults and steering on the local board (real processes)', () => {
  it('timeouts, allow-list refusals and failures retry with backoff, poison, and come back with retry', async () => {
    const dir = tempDir();
    const env = fastEnv(dir, { SHARED_STATE_MAX_RETRIES: '2' });
    const dag = writeDag(
      dir,
      [
        { id: 'hangs', cmd: 'node -e "setTimeout(() => {}, 60000)"', timeout: '300ms' },
        { id: 'not-allowed', cmd: 'curl https://example.invalid' },
        { id: 'exits-2', cmd: 'node -e "console.error(\'bad input\'), process.exit(2)"' },
        { id: 'after', deps: ['exits-2'] },
      ],
      join(dir, 'markers.jsonl'),
    );
    await runCli(['tasks', 'seed', dag], { env });
    const first = await runCli(['run', '--until-idle', '--owner', 'w1', '--parallel', '3'], { env });
    // Poisoned work fails the run, so scripts and CI can tell (exit 1), naming the tasks.
    expect(first.code, first.stderr).toBe(1);
    expect(first.stderr).toMatch(/the run ended with 3 poisoned tasks \(exits-2, hangs, not-allowed;/);
    expect(first.stdout).toMatch(/Blocked\nTASK\s+WAITING ON\nafter\s+exits-2/);

    const store = openTestState(dir);
    try {
      expect(store.get('hangs')).toMatchObject({
        state: 'poisoned',
        retryCount: 2,
        lastError: 'timed out after 300 ms',
      });
      expect(store.get('not-allowed')).toMatchObject({ state: 'poisoned', retryCount: 2 });
      expect(store.get('not-allowed')!.lastError).toMatch(/program "curl" is not in EXECUTOR_ALLOWLIST/);
      expect(store.get('exits-2')).toMatchObject({ state: 'poisoned', lastError: 'exit code 2: bad input' });
      expect(store.get('after')!.state).toBe('ready');
      expect(store.events.query({ types: ['poisoned'] })).toHaveLength(3);

      const retried = await runCli(['retry', 'exits-2'], { env });
      expect(retried.stdout).toMatch(/exits-2 is ready again/);
      expect(store.get('exits-2')).toMatchObject({ state: 'ready', retryCount: 0 });
      const refused = await runCli(['retry', 'after'], { env });
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/Task after is ready; nothing to reset/);

      const second = await runCli(['run', '--until-idle', '--owner', 'w2'], { env });
      expect(second.code).toBe(1);
      expect(store.get('exits-2')).toMatchObject({ state: 'poisoned', epoch: 4 }); // two more attempts
    } finally {
      store.close();
    }
  });

  it('refuses a bad DAG with every problem named, and writes nothing', async () => {
    const dir = tempDir();
    const file = join(dir, 'bad.yaml');
    writeFileSync(
      file,
      [
        '- { id: a, deps: [c] }',
        '- { id: b, deps: [a] }',
        '- { id: c, deps: [b] }',
        '- { id: a }',
        '- { id: d, deps: [nowhere] }',
        '- { id: e, payload: { kind: teleport } }',
      ].join('\n'),
    );
    const result = await runCli(['tasks', 'seed', file], { env: fastEnv(dir) });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/duplicate/i);
    expect(result.stderr).toMatch(/a → c → b → a|a → b → c → a|b → a → c → b|c → b → a → c/);
    expect(result.stderr).toMatch(/nowhere/);
    expect(result.stderr).toMatch(/teleport/);
    const listed = await runCli(['tasks', 'ls', '--json'], { env: fastEnv(dir) });
    expect(JSON.parse(listed.stdout)).toEqual([]);
  });

  it('ignore while a task runs stops it within a heartbeat and releases it; until-idle then exits', async () => {
    const dir = tempDir();
    const markers = join(dir, 'markers.jsonl');
    const env = fastEnv(dir);
    await runCli(
      ['tasks', 'seed', writeDag(dir, [{ id: 'slow', sleepMs: 60_000 }, { id: 'quick' }], markers)],
      { env },
    );
    const store = openTestState(dir);
    try {
      const daemon = startCli(['run', '--until-idle', '--owner', 'w', '--parallel', '2'], env);
      await waitFor(() => readMarkers(markers).some((r) => r.task === 'slow'), 30_000, 'slow to start');
      const ignored = await runCli(['ignore', 'slow', '--reason', 'a human takes over'], { env });
      expect(ignored.code).toBe(0);
      expect(await daemon.exited, daemon.output()).toBe(0);
      expect(store.get('slow')).toMatchObject({ state: 'ready', ignored: true, retryCount: 0 });
      expect(store.get('slow')!.lastError).toMatch(/ignored: a human takes over/);
      expect(store.get('quick')!.state).toBe('done');
    } finally {
      store.close();
    }
  });

  it('a paused owner is taken over after the threshold and, resumed, fences itself: one accepted completion', async () => {
    const dir = tempDir();
    const markers = join(dir, 'markers.jsonl');
    const env = fastEnv(dir);
    await runCli(['tasks', 'seed', writeDag(dir, [{ id: 'contested', sleepMs: 5000 }], markers)], { env });
    const store = openTestState(dir);
    try {
      const zombie = startCli(['run', '--owner', 'zombie'], env);
      await waitFor(() => readMarkers(markers).length === 1, 30_000, 'the first attempt to start');
      zombie.child.kill('SIGSTOP');
      const rescuer = startCli(['run', '--until-idle', '--owner', 'rescuer'], env);
      await waitFor(() => store.get('contested')?.ownerId === 'rescuer', 30_000, 'the takeover');
      zombie.child.kill('SIGCONT');
      expect(await rescuer.exited, rescuer.output()).toBe(0);
      await waitFor(
        () => store.events.query({ taskId: 'contested', types: ['fenced'] }).length > 0,
        10_000,
        'fencing',
      );
      zombie.child.kill('SIGTERM');
      expect(await zombie.exited).toBe(0);

      const completed = store.events.query({ taskId: 'contested', types: ['completed'] });
      expect(completed.map((e) => e.ownerId)).toEqual(['rescuer']);
      expect(store.events.query({ taskId: 'contested', types: ['swept'] })[0]!.data.cause).toBe(
        'heartbeat-expired',
      );
      expect(store.get('contested')).toMatchObject({ state: 'done', epoch: 2 });
    } finally {
      store.close();
    }
  });

  it('a second signal kills the attempts at once and exits, without waiting for the grace', async () => {
    const dir = tempDir();
    const pidFile = join(dir, 'stubborn.pid');
    const env = fastEnv(dir, { EXECUTOR_KILL_GRACE_MS: '60000', SHUTDOWN_GRACE_MS: '60000' });
    // An attempt that ignores SIGTERM: only SIGKILL ends it.
    const stubborn = `node -e "require('fs').writeFileSync('${pidFile}', String(process.pid)); process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"`;
    await runCli(
      ['tasks', 'seed', writeDag(dir, [{ id: 'stubborn', cmd: stubborn }], join(dir, 'm.jsonl'))],
      { env },
    );
    const daemon = startCli(['run', '--owner', 'w'], env);
    const pid = await waitFor(
      () => (existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : 0),
      30_000,
      'the attempt',
    );
    daemon.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    expect(daemon.child.exitCode).toBeNull(); // the first signal waits for the grace
    const second = Date.now();
    daemon.child.kill('SIGTERM');
    expect(await daemon.exited).toBe(130);
    expect(Date.now() - second).toBeLessThan(10_000);
    await waitFor(
      () => {
        try {
          process.kill(pid, 0);
          return false;
        } catch {
          return true;
        }
      },
      10_000,
      'the attempt to be killed',
    );
  });
});

describe('one owner id used by two live daemons on one machine', () => {
  it('refuses the second at start-up, naming the id and the live daemon', async () => {
    const dir = tempDir();
    const env = fastEnv(dir);
    await runCli(['tasks', 'seed', writeDag(dir, [{ id: 'long', sleepMs: 60_000 }], join(dir, 'm.jsonl'))], {
      env,
    });
    const first = startCli(['run', '--owner', 'ws/same'], env);
    await waitFor(() => readMarkers(join(dir, 'm.jsonl')).length === 1, 30_000, 'the first daemon to work');
    const second = await runCli(['run', '--owner', 'ws/same'], { env });
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/Owner id "ws\/same" is already in use by a live daemon \(pid \d+/);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
  });
});
