import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { fastEnv, openTestState, readMarkers, startCli, waitFor, writeDag } from '../support/daemons.js';
import { useTempDirs } from '../support/temp-dir.js';

const tempDir = useTempDirs();

/** A deterministic pseudo-random DAG: each task after the first ten depends on up to two earlier ones. */
function layeredDag(count: number) {
  let seed = 42;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  return Array.from({ length: count }, (_, i) => {
    const id = `t${String(i).padStart(3, '0')}`;
    if (i < 10) return { id };
    const deps = new Set(
      [Math.floor(next() * i), Math.floor(next() * i)].map((d) => `t${String(d).padStart(3, '0')}`),
    );
    return { id, deps: [...deps] };
  });
}

describe('daemons on the embedded local board (real processes, one SQLite file)', () => {
  it('3 daemons drain 200 tasks with deps: each executed exactly once, never before its deps', async () => {
    const dir = tempDir();
    const markers = join(dir, 'markers.jsonl');
    const tasks = layeredDag(200);
    const env = fastEnv(dir);
    const seeded = await runCli(['tasks', 'seed', writeDag(dir, tasks, markers)], { env });
    expect(seeded.stdout).toMatch(/200 added/);

    const daemons = ['d1', 'd2', 'd3'].map((owner) =>
      startCli(['run', '--until-idle', '--owner', owner, '--parallel', '3'], env),
    );
    const codes = await Promise.all(daemons.map((d) => d.exited));
    expect(codes, daemons.map((d) => d.output()).join('\n')).toEqual([0, 0, 0]);

    const records = readMarkers(markers);
    const starts = records.filter((r) => r.phase === 'start');
    // Exactly once: 200 starts, one per task.
    expect(starts).toHaveLength(200);
    expect(new Set(starts.map((r) => r.task)).size).toBe(200);
    // Never before its deps: a task's start comes after each dep's end in the append-only file.
    const position = new Map(records.map((r, i) => [`${r.phase}:${r.task}`, i]));
    for (const task of tasks) {
      for (const dep of task.deps ?? []) {
        expect(position.get(`start:${task.id}`)!, `${task.id} started before ${dep} ended`).toBeGreaterThan(
          position.get(`end:${dep}`)!,
        );
      }
    }
    const store = openTestState(dir);
    try {
      expect(store.stats().byState.done).toBe(200);
      expect(store.events.query({ types: ['completed'] })).toHaveLength(200);
      // The work really was shared out.
      expect(new Set(starts.map((r) => r.owner)).size).toBeGreaterThan(1);
    } finally {
      store.close();
    }
  });

  it('a SIGKILLed daemon loses nothing: its tasks are taken over at once by a daemon on the same host', async () => {
    const dir = tempDir();
    const markers = join(dir, 'markers.jsonl');
    // Long enough that no orphan finishes before the survivor (a fresh process) sweeps.
    const tasks = Array.from({ length: 8 }, (_, i) => ({ id: `k${i}`, sleepMs: 4000 }));
    const env = fastEnv(dir, {
      SHARED_STATE_STALE_THRESHOLD_MS: '600000',
      TASK_CLAIM_OWNER_STALE_TTL_MS: '600000',
    });
    await runCli(['tasks', 'seed', writeDag(dir, tasks, markers)], { env });
    const store = openTestState(dir);
    try {
      const doomed = startCli(['run', '--owner', 'doomed', '--parallel', '3'], env);
      const held = await waitFor(
        () => {
          const mine = store.list({ state: 'claimed', ownerId: 'doomed' });
          return mine.length === 3 && readMarkers(markers).length >= 3 ? mine.map((t) => t.id) : null;
        },
        30_000,
        'the first daemon to start three tasks',
      );
      doomed.child.kill('SIGKILL');
      await doomed.exited;
      // With a stale threshold of ten minutes, only the dead pid explains a takeover.
      const survivor = startCli(['run', '--until-idle', '--owner', 'survivor', '--parallel', '4'], env);
      expect(await survivor.exited, survivor.output()).toBe(0);

      expect(store.stats().byState.done).toBe(8);
      const swept = store.events.query({ types: ['swept'] });
      expect(swept.map((e) => e.taskId).sort()).toEqual([...held].sort());
      expect(swept.every((e) => e.data.cause === 'pid-dead')).toBe(true);
      const completed = store.events.query({ types: ['completed'] });
      expect(completed).toHaveLength(8);
      for (const id of held) {
        expect(completed.filter((e) => e.taskId === id).map((e) => e.ownerId)).toEqual(['survivor']);
      }
      // The orphaned attempts were stopped before the takeover: none of them wrote its end record.
      const orphanEnds = readMarkers(markers).filter((r) => r.owner === 'doomed' && r.phase === 'end');
      expect(orphanEnds).toEqual([]);
    } finally {
      store.close();
    }
  });

  it('SIGTERM stops the attempts, releases them as abandoned (no retry counted) and exits 0', async () => {
    const dir = tempDir();
    const markers = join(dir, 'markers.jsonl');
    const env = fastEnv(dir);
    await runCli(
      [
        'tasks',
        'seed',
        writeDag(
          dir,
          [
            { id: 'long-1', sleepMs: 60_000 },
            { id: 'long-2', sleepMs: 60_000 },
          ],
          markers,
        ),
      ],
      {
        env,
      },
    );
    const store = openTestState(dir);
    try {
      const daemon = startCli(['run', '--owner', 'graceful', '--parallel', '2'], env);
      await waitFor(() => readMarkers(markers).length === 2, 30_000, 'both attempts to start');
      const pids = readMarkers(markers).map((r) => r.pid);
      daemon.child.kill('SIGTERM');
      expect(await daemon.exited, daemon.output()).toBe(0);
      for (const id of ['long-1', 'long-2']) {
        expect(store.get(id)).toMatchObject({ state: 'ready', retryCount: 0, lastOutcome: 'abandoned' });
      }
      expect(store.events.query({ types: ['abandoned'] })).toHaveLength(2);
      expect(store.owners.list()).toEqual([]);
      for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow(); // the attempts' processes are gone
    } finally {
      store.close();
    }
  });
});
