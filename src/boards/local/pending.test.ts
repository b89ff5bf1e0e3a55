import { afterEach, describe, expect, it } from 'vitest';
import { testState } from '../../../tests/support/state.js';
import { useTempDirs } from '../../../tests/support/temp-dir.js';
import type { TaskState } from '../../core/task.js';
import type { SharedState } from '../../state/shared-state.js';
import { pendingWork } from './pending.js';

interface Fixture {
  state?: TaskState;
  deps?: string[];
  agent?: string | null;
  ignored?: boolean;
  retryCount?: number;
  /** Relative to now. */
  nextAttemptIn?: number;
}

const tempDir = useTempDirs();
const open: SharedState[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

/**
 * Writes the tasks to a real store (maxRetries 3) and counts its pending work for `agent`:
 * the verdict on each task comes from the store's claimable rule, as on the local board.
 */
function pending(tasks: Record<string, Fixture>, agent: string | null = null) {
  const { state: store, clock } = testState(tempDir());
  open.push(store);
  const now = clock.now();
  const insert = store.db.prepare(
    `INSERT INTO tasks (id, agent, state, ignored, retry_count, next_attempt_at, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 0, 0)`,
  );
  const dep = store.db.prepare('INSERT INTO task_deps (task_id, dep_id) VALUES (?, ?)');
  store.transaction(() => {
    for (const [id, t] of Object.entries(tasks)) {
      const next = t.nextAttemptIn === undefined ? 0 : now + t.nextAttemptIn;
      insert.run(id, t.agent ?? null, t.state ?? 'ready', t.ignored ? 1 : 0, t.retryCount ?? 0, next);
      for (const d of t.deps ?? []) dep.run(id, d);
    }
  });
  const work = pendingWork(store.claimability('local', agent));
  return { ...work, nextWakeAt: work.nextWakeAt === null ? null : work.nextWakeAt - now };
}

describe('pendingWork', () => {
  it('is empty when everything is done', () => {
    expect(pending({ a: { state: 'done' } })).toEqual({
      runnable: 0,
      held: 0,
      waiting: 0,
      nextWakeAt: null,
    });
  });

  it('counts runnable, held and waiting tasks, and the earliest backoff', () => {
    const tasks: Record<string, Fixture> = {
      free: {},
      busy: { state: 'claimed' },
      child: { deps: ['busy'] },
      later: { state: 'failed', retryCount: 1, nextAttemptIn: 4000 },
      sooner: { state: 'failed', retryCount: 1, nextAttemptIn: 2000 },
      due: { state: 'failed', retryCount: 1, nextAttemptIn: -100 },
    };
    expect(pending(tasks)).toEqual({ runnable: 2, held: 1, waiting: 3, nextWakeAt: 2000 });
  });

  it('treats work behind a poisoned, ignored or missing task as dead, transitively', () => {
    const tasks: Record<string, Fixture> = {
      bad: { state: 'poisoned' },
      'after-bad': { deps: ['bad'] },
      'after-after': { deps: ['after-bad'] },
      skip: { ignored: true },
      'after-skip': { deps: ['skip'] },
      orphan: { deps: ['nowhere'] },
    };
    expect(pending(tasks)).toEqual({ runnable: 0, held: 0, waiting: 0, nextWakeAt: null });
  });

  it('leaves out tasks for another agent, but still waits on work held by anyone', () => {
    const tasks: Record<string, Fixture> = {
      'codex-task': { agent: 'codex' },
      'claude-held': { agent: 'claude', state: 'claimed' },
    };
    expect(pending(tasks, 'claude')).toMatchObject({ runnable: 0, held: 1 });
    expect(pending(tasks, 'codex')).toMatchObject({ runnable: 1, held: 1 });
  });

  it('does not loop on a dependency cycle', () => {
    expect(pending({ x: { deps: ['y'] }, y: { deps: ['x'] } })).toMatchObject({ runnable: 0, waiting: 0 });
  });

  it('walks a 10,000-deep DAG behind an ignored head without overflowing: all of it is dead', () => {
    const n = 10_000;
    // t0 ← t1 ← … ← head, listed tail first: the first task asked about waits on all the rest.
    const tasks: Record<string, Fixture> = {};
    for (let i = 0; i < n - 1; i++) tasks[`t${i}`] = { deps: [i === n - 2 ? 'head' : `t${i + 1}`] };
    tasks.head = { ignored: true };
    tasks.free = {};
    expect(pending(tasks)).toEqual({ runnable: 1, held: 0, waiting: 0, nextWakeAt: null });
    // The same chain with a live head: one runnable, the rest waiting on it.
    tasks.head = {};
    expect(pending(tasks)).toMatchObject({ runnable: 2, waiting: n - 1 });
  });

  it('counts a failed task out of retries as dead, as claim refuses it (retry limit lowered since)', () => {
    // Failed three times under a higher MAX_RETRIES, now 3: claim says "retry limit reached".
    const tasks: Record<string, Fixture> = {
      spent: { state: 'failed', retryCount: 3 },
      'after-spent': { deps: ['spent'] },
    };
    expect(pending(tasks)).toEqual({ runnable: 0, held: 0, waiting: 0, nextWakeAt: null });
  });
});
