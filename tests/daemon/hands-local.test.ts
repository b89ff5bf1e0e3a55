import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SharedState } from '../../src/state/shared-state.js';
import { runCli } from '../support/cli.js';
import {
  type DaemonProcess,
  exitWithin,
  fastEnv,
  openTestState,
  startCli,
  waitFor,
  writeDag,
} from '../support/daemons.js';

/**
 * Hand claims on the local board, with real processes on one real SQLite file: people claiming
 * at once, a daemon beside a person's `hold`, and leases that run out.
 */
describe('codex-monitor claim/hold/renew/release/next/mine on the local board (issue 15)', () => {
  let env: Record<string, string>;
  let stateDir: string;
  let markers: string;
  let store: SharedState;
  let dir: string;
  const running: DaemonProcess[] = [];

  beforeAll(async () => {
    // One directory for the whole file (the tests share the board): useTempDirs' is per test.
    dir = mkdtempSync(join(tmpdir(), 'codex-monitor-test-'));
    stateDir = join(dir, 'state');
    markers = join(dir, 'markers.jsonl');
    env = fastEnv(stateDir);
    const dag = writeDag(
      dir,
      ['contested', 'held', 'bare', 'free'].map((id) => ({ id })),
      markers,
    );
    expect((await runCli(['tasks', 'seed', dag], { env })).code).toBe(0);
    store = openTestState(stateDir);
  });

  afterAll(async () => {
    for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('four people claiming one task at once: exactly one wins; mine, renew and release --pr follow', async () => {
    const owners = ['ws1/ana', 'ws2/ben', 'ws3/cy', 'ws4/dee'];
    const answers = await Promise.all(
      owners.map((owner) => runCli(['claim', 'contested', '--owner', owner, '--json'], { env })),
    );
    const winners = answers.filter((a) => a.code === 0);
    expect(winners, answers.map((a) => a.stderr).join('')).toHaveLength(1);
    const won = JSON.parse(winners[0]!.stdout) as { claim: { owner: string; epoch: number } };
    const winner = won.claim.owner;
    for (const lost of answers.filter((a) => a.code !== 0)) {
      expect(lost.code).toBe(1);
      expect(lost.stderr).toContain(`Cannot claim contested: held by ${winner} (epoch 1)`);
    }
    expect(store.get('contested')).toMatchObject({ state: 'claimed', ownerId: winner, hand: true });

    const mine = await runCli(['mine', '--owner', winner, '--json'], { env });
    expect(JSON.parse(mine.stdout)).toMatchObject([{ task: 'contested', owner: winner, epoch: 1 }]);
    const loser = owners.find((o) => o !== winner)!;
    const stolen = await runCli(['release', 'contested', '--outcome', 'complete', '--owner', loser], { env });
    expect(stolen.code).toBe(1);
    expect(stolen.stderr).toContain(`${loser} holds no claim on contested: it is held by ${winner}`);
    const renewed = await runCli(['renew', 'contested', '--ttl', '1h', '--owner', winner, '--json'], { env });
    expect(JSON.parse(renewed.stdout)).toMatchObject({ action: 'renew', held: true });

    const args = ['release', 'contested', '--outcome', 'complete', '--pr', '9', '--owner', winner, '--json'];
    const released = await runCli(args, { env });
    expect(JSON.parse(released.stdout)).toMatchObject({ outcome: 'complete', state: 'done', pr: 9 });
    const completed = store.events.query({ taskId: 'contested', types: ['completed'] });
    expect(completed).toMatchObject([{ ownerId: winner, data: { pr: 9 } }]);
  });

  it('a daemon never runs a task a person holds, and takes it over once the lease runs out', async () => {
    const alice = ['--owner', 'ws3/alice'];
    const first = await runCli(['claim', 'held', '--ttl', '4s', ...alice], { env });
    expect(first.code, first.stderr).toBe(0);
    // Claimed and never held: it lapses after the stale threshold (2 s here).
    expect((await runCli(['claim', 'bare', ...alice], { env })).code).toBe(0);
    const hold = startCli(['hold', 'held', ...alice, '--json'], env);
    running.push(hold);
    await waitFor(() => hold.output().includes('"event":"heartbeat"'), 20_000, 'the first heartbeat of hold');
    const daemon = startCli(['run'], env);
    running.push(daemon);

    // The hold ends by itself when the lease does; the daemon then runs the task.
    expect(await exitWithin(hold, 20_000), hold.output()).toBe(0);
    const end = JSON.parse(hold.output().trim().split('\n').at(-1)!) as { event: string; reason: string };
    expect(end).toMatchObject({ event: 'end', reason: 'lease-ended' });
    // Done, not only run: the agent's last marker comes before its exit and the release, and a
    // SIGTERM between the two would abandon the attempt (seen under load).
    const done = (task: string) => store.get(task)?.state === 'done';
    await waitFor(
      () => done('held') && done('bare') && done('free'),
      20_000,
      'the daemon to finish every task',
    );
    daemon.child.kill('SIGTERM');
    expect(await exitWithin(daemon, 20_000)).toBe(0);

    for (const [task, cause] of [
      ['held', 'lease-expired'],
      ['bare', 'heartbeat-expired'],
    ] as const) {
      const events = store.events.query({ taskId: task });
      const swept = events.find((e) => e.type === 'swept');
      expect(swept, task).toMatchObject({ ownerId: 'ws3/alice', data: { cause, hand: true, retryCount: 0 } });
      // Every start of the task came after the person's claim was swept: never while held.
      const starts = events.filter((e) => e.type === 'started');
      expect(starts.length, task).toBeGreaterThan(0);
      for (const start of starts) {
        expect(start.id).toBeGreaterThan(swept!.id);
        expect(start.ownerId).not.toBe('ws3/alice');
      }
      expect(store.get(task)).toMatchObject({ state: 'done', retryCount: 0 });
    }
    // hold renewed the heartbeat only: no `renewed` event moved the lease's end.
    expect(store.events.query({ taskId: 'held', types: ['renewed'] })).toEqual([]);
  });
});
