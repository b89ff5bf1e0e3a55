import { afterEach, describe, expect, it } from 'vitest';
import { owner, testState } from '../../../tests/support/state.js';
import { useTempDirs } from '../../../tests/support/temp-dir.js';
import type { SharedState } from '../shared-state.js';

const tempDir = useTempDirs();
const open: SharedState[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

function setup(overrides: Parameters<typeof testState>[1] = {}) {
  const t = testState(tempDir(), overrides);
  open.push(t.state);
  return t;
}

function claimOk(state: SharedState, taskId: string, who = owner('a')) {
  const result = state.claim(taskId, who, { create: true });
  if (!result.ok) throw new Error(`claim refused: ${result.detail}`);
  return result.ticket;
}

describe('claim', () => {
  it('refuses a task held by a live owner, with the holder, and records a conflict', () => {
    const { state } = setup();
    claimOk(state, 't1', owner('a'));
    const second = state.claim('t1', owner('b'), { create: true });
    expect(second).toMatchObject({ ok: false, reason: 'held', holder: 'a' });
    expect(state.events.query({ taskId: 't1', types: ['conflict'] })).toHaveLength(1);
  });

  it('refuses an unknown task unless asked to create it', () => {
    const { state } = setup();
    expect(state.claim('nope', owner('a'))).toMatchObject({ ok: false, reason: 'unknown' });
    expect(state.claim('nope', owner('a'), { create: true }).ok).toBe(true);
  });

  it('takes over an owner silent past the stale threshold, fencing the old owner', () => {
    const { state, clock } = setup();
    const first = claimOk(state, 't1', owner('a'));
    clock.advance(9_999);
    expect(state.claim('t1', owner('b')).ok).toBe(false);
    clock.advance(1);
    const takeover = state.claim('t1', owner('b'));
    expect(takeover).toMatchObject({ ok: true, tookOverFrom: 'a' });
    if (!takeover.ok) return;
    expect(takeover.ticket.epoch).toBe(first.epoch + 1);
    expect(takeover.ticket.attempt).toBe(2); // the silent attempt counted as failed
    expect(state.renew(first)).toMatchObject({
      ok: false,
      cause: 'taken-over',
      reason: `taken over by b at epoch ${first.epoch + 1}`,
    });
    expect(state.release(first, 'complete').ok).toBe(false);
    expect(state.get('t1')).toMatchObject({ state: 'claimed', ownerId: 'b', retryCount: 1 });
  });

  it('takes over at once when the owner is on this host and its pid is dead', () => {
    const { state, dead } = setup();
    const a = owner('a', 4242);
    claimOk(state, 't1', a);
    dead.add(4242);
    expect(state.claim('t1', owner('b'))).toMatchObject({ ok: true, tookOverFrom: 'a' });
  });

  it('does not judge pids of owners on other hosts', () => {
    const { state, dead } = setup();
    claimOk(state, 't1', { id: 'remote', host: 'elsewhere', pid: 4242, pidStart: null });
    dead.add(4242);
    expect(state.claim('t1', owner('b'))).toMatchObject({ ok: false, reason: 'held' });
  });

  it('claims a task only when all its deps are done', () => {
    const { state } = setup();
    const insert = state.db.prepare('INSERT INTO tasks (id, created_at, updated_at) VALUES (?, 0, 0)');
    for (const id of ['dep1', 'dep2', 'child']) insert.run(id);
    state.db.prepare("INSERT INTO task_deps VALUES ('child', 'dep1'), ('child', 'dep2')").run();
    expect(state.claim('child', owner('a'))).toMatchObject({
      ok: false,
      reason: 'deps',
      waitingOn: ['dep1', 'dep2'],
    });
    state.release(claimOk(state, 'dep1'), 'complete');
    expect(state.claim('child', owner('a'))).toMatchObject({ ok: false, waitingOn: ['dep2'] });
    state.release(claimOk(state, 'dep2'), 'complete');
    expect(state.claim('child', owner('a')).ok).toBe(true);
  });

  it('hands out strictly growing epochs', () => {
    const { state } = setup();
    const epochs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = claimOk(state, 't1');
      epochs.push(t.epoch);
      state.release(t, 'abandoned');
    }
    expect(epochs).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('renew and release', () => {
  it('renew checks owner and epoch, and refreshes the lease', () => {
    const { state, clock } = setup();
    const t = claimOk(state, 't1');
    expect(state.renew({ ...t, epoch: t.epoch - 1 }).ok).toBe(false);
    expect(state.renew({ ...t, ownerId: 'b' }).ok).toBe(false);
    clock.advance(8_000);
    expect(state.renew(t)).toEqual({ ok: true, ignored: false });
    clock.advance(8_000); // 16 s after the claim, 8 s after the renewal: still live
    expect(state.claim('t1', owner('b'))).toMatchObject({ ok: false, reason: 'held' });
  });

  it('owner heartbeat renews all of that process’s claims at once', () => {
    const { state, clock } = setup();
    const a = owner('a');
    for (const id of ['t1', 't2', 't3']) claimOk(state, id, a);
    claimOk(state, 'other', owner('b'));
    clock.advance(8_000);
    expect(state.heartbeat(a).sort()).toEqual(['t1', 't2', 't3']);
    clock.advance(3_000);
    expect(state.sweepStale().map((s) => s.taskId)).toEqual(['other']);
  });

  it('release checks owner and epoch and does not refresh the heartbeat', () => {
    const { state, clock } = setup();
    const t = claimOk(state, 't1');
    const heartbeatAt = state.get('t1')!.heartbeatAt;
    clock.advance(5_000);
    expect(state.release({ ...t, epoch: t.epoch + 1 }, 'complete').ok).toBe(false);
    expect(state.release({ ...t, ownerId: 'b' }, 'complete').ok).toBe(false);
    expect(state.release(t, 'complete')).toMatchObject({ ok: true, state: 'done' });
    expect(state.get('t1')).toMatchObject({ heartbeatAt, releasedAt: heartbeatAt! + 5_000, state: 'done' });
    expect(state.release(t, 'complete')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('released'),
    });
  });

  it('says an epoch never claimed is a wrong epoch, not a takeover by the holder itself', () => {
    const { state } = setup();
    const t = claimOk(state, 't1', owner('a'));
    const forged = { ...t, epoch: t.epoch + 1 };
    const expected = {
      ok: false,
      cause: 'wrong-epoch',
      reason: `nobody took it over: the task is held by a at epoch ${t.epoch}, and was never claimed at epoch ${forged.epoch}`,
    };
    expect(state.renew(forged)).toEqual(expected);
    expect(state.release(forged, 'complete')).toEqual(expected);
    expect(state.events.query({ types: ['fenced'] }).at(-1)!.data).toMatchObject({ cause: 'wrong-epoch' });
    // The holder's claim is untouched and still its own.
    expect(state.renew(t)).toMatchObject({ ok: true });
    expect(state.get('t1')).toMatchObject({ state: 'claimed', ownerId: 'a', epoch: t.epoch });
  });

  it('renew reports an ignore flag set while the task runs', () => {
    const { state } = setup();
    const t = claimOk(state, 't1');
    state.setIgnored('t1', 'human said stop', 'alice');
    expect(state.renew(t)).toEqual({ ok: true, ignored: true });
  });
});

describe('retries, backoff and poison', () => {
  it('counts failed attempts and crashed ones, never graceful releases', () => {
    const { state, clock, dead } = setup({ policy: { maxRetries: 10 } });
    state.release(claimOk(state, 't1'), 'abandoned');
    expect(state.get('t1')!.retryCount).toBe(0);
    state.release(claimOk(state, 't1'), 'failed', { error: 'exit 1' });
    expect(state.get('t1')).toMatchObject({ retryCount: 1, state: 'failed', lastError: 'exit 1' });
    clock.advance(60_000);
    claimOk(state, 't1', owner('crasher', 777));
    dead.add(777);
    expect(state.sweepStale()).toHaveLength(1);
    expect(state.get('t1')!.retryCount).toBe(2);
  });

  it('backs off exponentially with jitter, capped', () => {
    const random = { value: 0 };
    const { state, clock } = setup({ policy: { maxRetries: 10 }, random: () => random.value });
    const delays: number[] = [];
    for (const r of [0, 1, 0, 1, 0.5]) {
      random.value = r;
      const result = state.release(claimOk(state, 't1'), 'failed');
      if (!result.ok) throw new Error(result.reason);
      delays.push(result.nextAttemptAt - clock.now());
      clock.advance(delays.at(-1)!);
    }
    // base 1 s, cap 8 s; equal jitter: half fixed, half random
    expect(delays).toEqual([500, 2_000, 2_000, 8_000, 6_000]);
  });

  it('refuses a claim during its backoff, saying how long, then allows the retry', () => {
    const { state, clock } = setup();
    state.release(claimOk(state, 't1'), 'failed');
    expect(state.claim('t1', owner('a'))).toMatchObject({ ok: false, reason: 'backoff', waitMs: 750 });
    clock.advance(750);
    expect(state.claim('t1', owner('a')).ok).toBe(true);
  });

  it('poisons at the retry limit and only a reset brings the task back', () => {
    const { state, clock } = setup({ policy: { maxRetries: 2 } });
    state.release(claimOk(state, 't1'), 'failed');
    clock.advance(60_000);
    const last = state.release(claimOk(state, 't1'), 'failed');
    expect(last).toMatchObject({ ok: true, state: 'poisoned', retryCount: 2 });
    clock.advance(3_600_000);
    expect(state.claim('t1', owner('a'))).toMatchObject({ ok: false, reason: 'poisoned' });
    expect(state.events.query({ taskId: 't1', types: ['poisoned'] })).toHaveLength(1);
    expect(state.reset('t1', { actor: 'alice' })).toBe(true);
    expect(state.get('t1')).toMatchObject({ state: 'ready', retryCount: 0 });
    expect(state.claim('t1', owner('a')).ok).toBe(true);
  });

  it('refuses a done, held or ignored task, and claims it again once the ignore flag is lifted', () => {
    const { state } = setup();
    state.release(claimOk(state, 'done'), 'complete');
    expect(state.claim('done', owner('a'))).toMatchObject({ ok: false, reason: 'done' });
    claimOk(state, 'busy');
    expect(state.claim('busy', owner('b'))).toMatchObject({ ok: false, reason: 'held', holder: 'a' });
    state.setIgnored('skip', 'manual work', 'alice');
    expect(state.claim('skip', owner('a'))).toMatchObject({ ok: false, reason: 'ignored' });
    expect(state.clearIgnored('skip', 'alice')).toBe(true);
    expect(state.clearIgnored('skip', 'alice')).toBe(false);
    expect(state.claim('skip', owner('a')).ok).toBe(true);
  });
});

describe('sweep', () => {
  it('marks a stale claim once: repeated sweeps add no events', () => {
    const { state, clock } = setup();
    claimOk(state, 't1');
    claimOk(state, 't2');
    clock.advance(10_000);
    expect(state.sweepStale().map((s) => s.cause)).toEqual(['heartbeat-expired', 'heartbeat-expired']);
    const after = state.events.query().length;
    expect(state.sweepStale()).toEqual([]);
    clock.advance(60_000);
    expect(state.sweepStale()).toEqual([]);
    expect(state.events.query().length).toBe(after);
    expect(state.events.query({ types: ['swept'] })).toHaveLength(2);
  });

  it('sweeps a dead local pid at once, before the threshold', () => {
    const { state, dead } = setup();
    claimOk(state, 't1', owner('a', 31337));
    expect(state.sweepStale()).toEqual([]);
    dead.add(31337);
    expect(state.sweepStale()).toMatchObject([{ taskId: 't1', cause: 'pid-dead', state: 'failed' }]);
  });
});

describe('owners', () => {
  it('refuses an owner id a live daemon uses, and reuses it once that daemon is gone', () => {
    const { state, dead, clock } = setup();
    state.owners.register(owner('host/codex', 100), 'codex');
    expect(() => state.owners.register(owner('host/codex', 200), 'codex')).toThrow(/already in use/);
    dead.add(100);
    expect(() => state.owners.register(owner('host/codex', 200), 'codex')).not.toThrow();
    // a silent owner on another host is forgotten after the owner TTL
    state.owners.register({ id: 'far', host: 'other', pid: 1, pidStart: null }, null);
    expect(() => state.owners.register(owner('far', 300), null)).toThrow();
    clock.advance(20_000);
    expect(state.owners.list().find((o) => o.id === 'far')).toMatchObject({ live: false, silentMs: 20_000 });
    expect(() => state.owners.register(owner('far', 300), null)).not.toThrow();
  });
});

describe('concurrency within one process', () => {
  it('loses none of many concurrent claims of different tasks', async () => {
    const { state } = setup();
    const ids = Array.from({ length: 50 }, (_, i) => `task-${i}`);
    const results = await Promise.all(
      ids.map(async (id, i) => {
        await new Promise((r) => setTimeout(r, i % 3));
        return state.claim(id, owner(`o${i % 5}`), { create: true });
      }),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(
      state
        .list({ state: 'claimed' })
        .map((t) => t.id)
        .sort(),
    ).toEqual([...ids].sort());
    expect(state.events.query({ types: ['claimed'] })).toHaveLength(50);
  });
});

describe('process liveness', () => {
  it('sees a running process alive and an exited one (zombie or reaped) dead', async () => {
    const { spawn } = await import('node:child_process');
    const { isProcessAlive, processStartTicks } = await import('../../host/process-liveness.js');
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    const pid = child.pid!;
    const start = processStartTicks(pid);
    expect(isProcessAlive(pid, start)).toBe(true);
    expect(isProcessAlive(pid, (start ?? 0) + 1)).toBe(false); // same pid, another process
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    expect(isProcessAlive(pid, start)).toBe(false);
  });
});
