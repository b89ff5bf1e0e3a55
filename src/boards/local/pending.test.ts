import { describe, expect, it } from 'vitest';
import type { TaskView } from '../../state/task-rows.js';
import { pendingWork } from './pending.js';

function task(id: string, fields: Partial<TaskView> = {}): TaskView {
  return {
    id,
    source: 'local',
    title: id,
    agent: null,
    priority: 0,
    payload: null,
    state: 'ready',
    deps: [],
    ownerId: null,
    ownerHost: null,
    ownerPid: null,
    epoch: 0,
    attempt: 0,
    retryCount: 0,
    claimedAt: null,
    heartbeatAt: null,
    releasedAt: null,
    nextAttemptAt: 0,
    lastOutcome: null,
    lastError: null,
    ignored: false,
    ignoreReason: null,
    createdAt: 0,
    updatedAt: 0,
    ...fields,
  };
}

const opts = { agent: null, now: 1000, maxRetries: 3 };

describe('pendingWork', () => {
  it('is empty when everything is done', () => {
    expect(pendingWork([task('a', { state: 'done' })], opts)).toEqual({
      runnable: 0,
      held: 0,
      waiting: 0,
      nextWakeAt: null,
    });
  });

  it('counts runnable, held and waiting tasks, and the earliest backoff', () => {
    const tasks = [
      task('free'),
      task('busy', { state: 'claimed' }),
      task('child', { deps: ['busy'] }),
      task('later', { state: 'failed', nextAttemptAt: 5000 }),
      task('sooner', { state: 'failed', nextAttemptAt: 3000 }),
      task('due', { state: 'failed', nextAttemptAt: 900 }),
    ];
    expect(pendingWork(tasks, opts)).toEqual({ runnable: 2, held: 1, waiting: 3, nextWakeAt: 3000 });
  });

  it('treats work behind a poisoned, ignored or missing task as dead, transitively', () => {
    const tasks = [
      task('bad', { state: 'poisoned' }),
      task('after-bad', { deps: ['bad'] }),
      task('after-after', { deps: ['after-bad'] }),
      task('skip', { ignored: true }),
      task('after-skip', { deps: ['skip'] }),
      task('orphan', { deps: ['nowhere'] }),
    ];
    expect(pendingWork(tasks, opts)).toEqual({ runnable: 0, held: 0, waiting: 0, nextWakeAt: null });
  });

  it('leaves out tasks for another agent, but still waits on work held by anyone', () => {
    const tasks = [
      task('codex-task', { agent: 'codex' }),
      task('claude-held', { agent: 'claude', state: 'claimed' }),
    ];
    expect(pendingWork(tasks, { ...opts, agent: 'claude' })).toMatchObject({ runnable: 0, held: 1 });
    expect(pendingWork(tasks, { ...opts, agent: 'codex' })).toMatchObject({ runnable: 1, held: 1 });
  });

  it('does not loop on a dependency cycle', () => {
    const tasks = [task('x', { deps: ['y'] }), task('y', { deps: ['x'] })];
    expect(pendingWork(tasks, opts)).toMatchObject({ runnable: 0, waiting: 0 });
  });

  it('walks a 10,000-deep DAG behind an ignored head without overflowing: all of it is dead', () => {
    const n = 10_000;
    // t0 ← t1 ← … ← head, listed tail first: the first task asked about waits on all the rest.
    const tasks = Array.from({ length: n }, (_, i) =>
      i === n - 1
        ? task('head', { ignored: true })
        : task(`t${i}`, { deps: [i === n - 2 ? 'head' : `t${i + 1}`] }),
    );
    tasks.push(task('free'));
    expect(pendingWork(tasks, opts)).toEqual({ runnable: 1, held: 0, waiting: 0, nextWakeAt: null });
    // The same chain with a live head: one runnable, the rest waiting on it.
    tasks[n - 1] = task('head');
    expect(pendingWork(tasks, opts)).toMatchObject({ runnable: 2, waiting: n - 1 });
  });
});
