import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { owner, testState } from '../../tests/support/state.js';
import { useTempDirs } from '../../tests/support/temp-dir.js';
import { EventLog } from './event-log.js';
import { replayTask } from './replay.js';
import type { SharedState } from './shared-state.js';

const tempDir = useTempDirs();
const open: SharedState[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

function setup() {
  const t = testState(tempDir(), { policy: { maxRetries: 2 } });
  open.push(t.state);
  return t;
}

/** A short, eventful history: a conflict, a failure, a crash, a poison and a reset. */
function history(state: SharedState, clock: { advance(ms: number): void }, dead: Set<number>) {
  const a = owner('a', 11);
  const b = owner('b', 12);
  const first = state.claim('t1', a, { create: true });
  state.claim('t1', b, { create: true });
  if (first.ok) state.release(first.ticket, 'failed', { error: 'boom' });
  clock.advance(60_000);
  const second = state.claim('t1', b);
  if (second.ok) state.renew(second.ticket);
  dead.add(12);
  state.sweepStale();
  state.reset('t1');
  state.claim('t2', a, { create: true });
}

describe('event log', () => {
  it('queries by task, owner, type and time', () => {
    const { state, clock, dead } = setup();
    const start = clock.now();
    history(state, clock, dead);
    const events = state.events;
    expect(events.query({ taskId: 't1' }).map((e) => e.type)).toEqual([
      'claimed',
      'conflict',
      'failed',
      'claimed',
      'renewed',
      'swept',
      'poisoned',
      'reset',
    ]);
    expect(events.query({ ownerId: 'b' }).map((e) => e.type)).toEqual([
      'conflict',
      'claimed',
      'renewed',
      'swept',
      'poisoned',
    ]);
    expect(events.query({ types: ['claimed'] }).map((e) => e.taskId)).toEqual(['t1', 't1', 't2']);
    expect(events.query({ until: start }).length).toBe(3);
    expect(events.query({ since: start + 1 }).map((e) => e.type)[0]).toBe('claimed');
    expect(events.query({ newestFirst: true, limit: 1 })[0]!.taskId).toBe('t2');
    expect(events.query({ taskId: 't1', types: ['failed'] })[0]!.data).toMatchObject({
      error: 'boom',
      retryCount: 1,
    });
  });

  it('replays a task to the state its row holds', () => {
    const { state, clock, dead } = setup();
    history(state, clock, dead);
    for (const id of ['t1', 't2']) {
      const steps = replayTask(state.events.query({ taskId: id }));
      const row = state.get(id)!;
      expect(steps.at(-1)!.after).toMatchObject({ state: row.state, retryCount: row.retryCount });
    }
    const t1 = replayTask(state.events.query({ taskId: 't1' })).map((s) => s.after.state);
    expect(t1).toEqual(['claimed', 'claimed', 'failed', 'claimed', 'claimed', 'failed', 'poisoned', 'ready']);
  });

  it('exports JSONL that parses back to the same events', async () => {
    const { state, clock, dead } = setup();
    history(state, clock, dead);
    const file = join(tempDir(), 'events.jsonl');
    const count = await state.events.exportJsonl(file);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(count).toBe(lines.length);
    expect(lines.map((l) => JSON.parse(l))).toEqual(state.events.query());
    expect(await state.events.exportJsonl(file, { taskId: 't2' })).toBe(1);
  });

  it('keeps within the retention limits by count and by age, as it appends', () => {
    const { state, clock } = setup();
    const log = new EventLog(state.db, { maxEvents: 100, maxAgeMs: 10_000 }, () => clock.now());
    const before = log.stats().total;
    let largest = 0;
    for (let i = 0; i < 350; i++) {
      log.append({ type: 'heartbeat', ownerId: `o${i}` });
      largest = Math.max(largest, log.stats().total);
    }
    expect(before + 350).toBeGreaterThan(100);
    expect(largest).toBeLessThanOrEqual(100); // never above the bound, not even between prunes
    expect(log.stats().total).toBeGreaterThanOrEqual(90);
    expect(log.query().at(-1)!.ownerId).toBe('o349'); // the oldest went first
    clock.advance(5_000);
    log.append({ type: 'heartbeat', ownerId: 'late' });
    clock.advance(5_001);
    log.prune();
    expect(log.query().map((e) => e.ownerId)).toEqual(['late']);
  });

  it('counts events by type', () => {
    const { state, clock, dead } = setup();
    history(state, clock, dead);
    const stats = state.events.stats();
    expect(stats.byType).toMatchObject({
      claimed: 3,
      conflict: 1,
      failed: 1,
      swept: 1,
      poisoned: 1,
      reset: 1,
    });
    expect(stats.total).toBe(Object.values(stats.byType).reduce((a, b) => a + b, 0));
    expect(stats.newest! - stats.oldest!).toBe(60_000);
  });
});
