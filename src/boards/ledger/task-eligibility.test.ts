import { describe, expect, it } from 'vitest';
import type { LedgerTaskView, LedgerView } from '../github/ledger/index.js';
import { assessTasks, type Dependency, type TaskEligibilityInput } from './task-eligibility.js';

interface Task {
  priority: number;
  agent: string | null;
  deps: Dependency[];
  off?: string;
}

const task = (fields: Partial<Task> = {}): Task => ({ priority: 0, agent: null, deps: [], ...fields });
const open = (id: number): Dependency => ({ id, state: 'open' });

function assess(tasks: Record<number, Task>, extra: Partial<TaskEligibilityInput<Task>> = {}) {
  return assessTasks<Task>({
    tasks: new Map(Object.entries(tasks).map(([id, t]) => [Number(id), t])),
    steeredOff: (t) => t.off ?? null,
    dependencies: (t) => t.deps,
    cycleReason: 'in a cycle',
    ledger: undefined,
    agent: null,
    heldLocally: () => false,
    now: 1_000,
    ...extra,
  });
}

const view = (chains: Record<number, Partial<LedgerTaskView>>): LedgerView =>
  ({ tasks: new Map(Object.entries(chains).map(([n, c]) => [Number(n), c])) }) as unknown as LedgerView;

describe('assessTasks (the ledger core over a neutral task view)', () => {
  it("orders by priority then number, and keeps off what the board steers off (a board's extra predicate)", () => {
    const e = assess({ 3: task({ priority: 1 }), 1: task(), 2: task({ off: 'not in the Ready column' }) });
    expect(e.candidates.map((t) => t.priority)).toEqual([1, 0]);
    expect(e.skipped).toEqual([{ issue: 2, reason: 'not in the Ready column' }]);
    expect(e.verdicts.get(2)).toBe('not in the Ready column');
  });

  it('waits on a dependency a daemon may finish; shows a person’s wait, or skips it when the board says stuck', () => {
    const e = assess({ 1: task(), 2: task({ deps: [open(1)] }), 3: task({ deps: [open(9)] }) });
    expect(e.verdicts.get(2)).toBe('waiting');
    expect(e.verdicts.get(3)).toBe('human'); // #9 is not a task here
    expect(e.pending).toMatchObject({ runnable: 1, waiting: 1 });
    const stuck = assess({ 3: task({ deps: [open(9)] }) }, { stuck: (_t, o) => `blocked by ${o[0]!.id}` });
    expect(stuck.skipped).toEqual([{ issue: 3, reason: 'blocked by 9' }]);
  });

  it('skips a task behind a dead dependency and reports cycles', () => {
    const e = assess({
      1: task({ deps: [{ id: 7, state: 'dead', dead: 'depends on #7, closed as not planned' }] }),
      2: task({ deps: [open(3)] }),
      3: task({ deps: [open(2)] }),
    });
    expect(e.verdicts.get(1)).toBe('depends on #7, closed as not planned');
    expect(e.cycles).toEqual([[2, 3]]);
    expect(e.verdicts.get(2)).toBe('in a cycle');
  });

  it('reads the ledger: done and held are not claimable, stale work and our own orphans are recovered, a backoff wakes', () => {
    const ledger = view({
      1: { state: 'done', detail: '' },
      2: { state: 'held', holder: 'ws2', detail: '' },
      3: { state: 'stale', holder: 'ws2', detail: '' },
      4: { state: 'held', holder: 'ws1', detail: '' },
      5: { state: 'backoff', waitMs: 500, detail: '' },
    });
    const tasks = { 1: task(), 2: task(), 3: task(), 4: task(), 5: task() };
    const self = { ownerId: 'ws1', holds: () => false };
    const e = assess(tasks, { ledger, self });
    expect(e.verdicts.get(1)).toBe('done in the ledger');
    expect([...e.recover].sort()).toEqual([3, 4]);
    expect(e.pending).toMatchObject({ runnable: 2, held: 1, waiting: 1, nextWakeAt: 1_500 });
    // Without `self` (pending, status) our own claim is simply held.
    expect(assess(tasks, { ledger }).pending.held).toBe(2);
  });
});
