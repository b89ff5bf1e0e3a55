import { afterEach, describe, expect, it } from 'vitest';
import { owner, testState } from '../../../tests/support/state.js';
import { useTempDirs } from '../../../tests/support/temp-dir.js';
import { TASK_STATES } from '../../core/task.js';
import type { SharedState } from '../shared-state.js';

const tempDir = useTempDirs();
const open: SharedState[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

function setup() {
  const t = testState(tempDir()); // maxRetries 3
  open.push(t.state);
  return t;
}

describe('the claimable rule', () => {
  it('claim, claim-next and the pending verdict agree on every kind of task', () => {
    const { state: store, clock } = setup();
    const now = clock.now();
    const insert = store.db.prepare(
      `INSERT INTO tasks (id, state, ignored, retry_count, next_attempt_at, owner_id, owner_host, owner_pid,
         heartbeat_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'x', 'test-host', 4242, ?, 0, 0)`,
    );
    const dep = store.db.prepare('INSERT INTO task_deps (task_id, dep_id) VALUES (?, ?)');
    insert.run('dep-done', 'done', 0, 0, 0, now);
    insert.run('dep-open', 'ready', 1, 0, 0, now); // ignored, so never claimed here
    const ids: string[] = [];
    for (const state of TASK_STATES)
      for (const ignored of [0, 1])
        for (const retryCount of [0, 3])
          for (const nextIn of [-1, 1])
            for (const deps of [[], ['dep-done'], ['dep-open'], ['missing']]) {
              const id = [state, ignored, retryCount, nextIn, ...deps].join(':');
              insert.run(id, state, ignored, retryCount, now + nextIn, now);
              for (const d of deps) dep.run(id, d);
              ids.push(id);
            }
    const verdict = new Map(store.claimability('local', null).map((t) => [t.id, t.refusal]));
    const claimable = ids.filter((id) => verdict.get(id) === null);
    expect(claimable.length).toBeGreaterThan(0);
    // claim-next takes exactly the claimable ones (before the per-id claims change anything).
    const next: string[] = [];
    for (let c = store.claimNext(owner('n'), null); c; c = store.claimNext(owner('n'), null)) {
      next.push(c.ticket.taskId);
      store.release(c.ticket, 'abandoned');
      store.setIgnored(c.ticket.taskId, 'counted'); // so claim-next moves on
    }
    expect(next.sort()).toEqual(claimable.sort());
    for (const id of next) store.clearIgnored(id);
    // claim refuses the others with the very reason the verdict gives.
    for (const id of ids) {
      const result = store.claim(id, owner('a'));
      if (verdict.get(id) === null) expect(result.ok, id).toBe(true);
      else expect(result, id).toMatchObject({ ok: false, reason: verdict.get(id) });
    }
  });

  it('says why a failed task out of retries is refused, and claim-next passes it over', () => {
    const { state: store } = setup();
    store.db
      .prepare(
        "INSERT INTO tasks (id, state, retry_count, created_at, updated_at) VALUES ('spent', 'failed', 3, 0, 0)",
      )
      .run();
    expect(store.claim('spent', owner('a'))).toMatchObject({
      ok: false,
      reason: 'poisoned',
      detail: 'retry limit reached (3 failed attempts)',
    });
    expect(store.claimNext(owner('a'), null)).toBeNull();
  });

  it('names the unfinished deps in a deps refusal', () => {
    const { state: store } = setup();
    store.db
      .prepare("INSERT INTO tasks (id, created_at, updated_at) VALUES ('a', 0, 0), ('b', 0, 0), ('c', 0, 0)")
      .run();
    store.db.prepare("INSERT INTO task_deps (task_id, dep_id) VALUES ('c', 'b'), ('c', 'a')").run();
    expect(store.claim('c', owner('a'))).toMatchObject({ ok: false, reason: 'deps', waitingOn: ['a', 'b'] });
  });
});

describe('release with a decision made elsewhere', () => {
  it('records the state, retry count and next attempt it is given, poison included', () => {
    const { state: store, clock } = setup();
    const first = store.claim('t1', owner('a'), { create: true });
    if (!first.ok) throw new Error(first.detail);
    const decided = { state: 'failed' as const, retryCount: 2, nextAttemptAt: clock.now() + 12_345 };
    expect(store.release(first.ticket, 'failed', { error: 'exit 1', decided })).toEqual({
      ok: true,
      ...decided,
    });
    expect(store.get('t1')).toMatchObject({ ...decided, lastError: 'exit 1' });

    clock.advance(12_345);
    const second = store.claim('t1', owner('a'));
    if (!second.ok) throw new Error(second.detail);
    const poison = { state: 'poisoned' as const, retryCount: 3, nextAttemptAt: clock.now() };
    expect(store.release(second.ticket, 'failed', { decided: poison })).toMatchObject({
      ok: true,
      state: 'poisoned',
    });
    expect(store.events.query({ taskId: 't1', types: ['poisoned'] })).toHaveLength(1);
  });
});
