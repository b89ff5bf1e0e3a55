import { describe, expect, it } from 'vitest';
import type { LedgerTaskView, LedgerView } from '../ledger/index.js';
import { assessIssues } from './eligibility.js';
import type { IssueSnapshot } from './issue-snapshot.js';

function issue(number: number, fields: Partial<IssueSnapshot> = {}): IssueSnapshot {
  return {
    number,
    title: `#${number}`,
    body: '',
    state: 'open',
    stateReason: null,
    labels: [],
    authorAssociation: 'OWNER',
    author: 'alice',
    url: `https://github.com/acme/widgets/issues/${number}`,
    updatedAt: '2026-11-21T00:00:00Z',
    deps: [],
    agent: null,
    priority: 0,
    ...fields,
  };
}

function ledger(tasks: Record<number, Partial<LedgerTaskView>>): LedgerView {
  return {
    tasks: new Map(
      Object.entries(tasks).map(([n, t]) => [
        Number(n),
        {
          issue: Number(n),
          sha: 'x',
          record: null,
          state: 'free',
          holder: null,
          epoch: 1,
          retries: 0,
          mine: false,
          waitMs: null,
          detail: '',
          ...t,
        },
      ]),
    ),
    owners: new Map(),
    refreshedAt: 0,
  };
}

const base: Omit<Parameters<typeof assessIssues>[0], 'issues' | 'ledger'> & {
  startGate?: (issue: number) => string | null;
} = {
  agent: null,
  policy: { trustedAssociations: ['OWNER', 'MEMBER', 'COLLABORATOR'], taskLabels: [] },
  heldLocally: (_issue: number) => false,
  now: 1_000,
};

function assess(issues: IssueSnapshot[], view?: LedgerView, extra: Partial<typeof base> = {}) {
  return assessIssues({ ...base, ...extra, issues: new Map(issues.map((i) => [i.number, i])), ledger: view });
}

describe('assessIssues', () => {
  it('orders candidates by priority, then age', () => {
    const e = assess([issue(3), issue(1), issue(2, { priority: 10 })]);
    expect(e.candidates.map((i) => i.number)).toEqual([2, 1, 3]);
    expect(e.pending).toMatchObject({ runnable: 3, held: 0, waiting: 0 });
  });

  it('skips untrusted authors unless a task label vouches for the issue', () => {
    const stranger = issue(1, { authorAssociation: 'NONE' });
    const vouched = issue(2, { authorAssociation: 'NONE', labels: ['codex'] });
    expect(assess([stranger, vouched]).candidates).toEqual([]);
    const e = assess([stranger, vouched], undefined, { policy: { ...base.policy, taskLabels: ['codex'] } });
    expect(e.candidates.map((i) => i.number)).toEqual([2]);
    expect(e.verdicts.get(2)).toBe('runnable');
  });

  it('keeps off issues labelled ignore, done or failed, and those done or poisoned in the ledger', () => {
    const e = assess(
      [issue(1, { labels: ['codex:ignore'] }), issue(2, { labels: ['codex:done'] }), issue(3), issue(4)],
      ledger({ 3: { state: 'done' }, 4: { state: 'poisoned' } }),
    );
    expect(e.candidates).toEqual([]);
    expect(e.skipped.map((s) => s.reason)).toEqual([
      'labelled codex:ignore',
      'labelled codex:done',
      'done in the ledger',
      'poisoned in the ledger',
    ]);
  });

  it('waits for dependencies to be closed as completed; not planned kills the dependent', () => {
    const e = assess([
      issue(1),
      issue(2, { deps: [1] }),
      issue(3, { deps: [4] }),
      issue(4, { state: 'closed', stateReason: 'completed' }),
      issue(5, { deps: [6] }),
      issue(6, { state: 'closed', stateReason: 'not_planned' }),
    ]);
    expect(e.candidates.map((i) => i.number)).toEqual([1, 3]);
    expect(e.blocked).toEqual([{ issue: 2, waitingOn: [1] }]);
    expect(e.verdicts.get(2)).toBe('waiting');
    expect(e.verdicts.get(5)).toBe('depends on #6, closed as not_planned');
  });

  it('does not keep an until-idle daemon waiting on work nobody here will finish', () => {
    // #1 is done in the ledger but still open: its dependents wait on a human closing it.
    const e = assess([issue(1), issue(2, { deps: [1] })], ledger({ 1: { state: 'done' } }));
    expect(e.pending).toEqual({ runnable: 0, held: 0, waiting: 0, nextWakeAt: null });
    expect(e.blocked).toEqual([{ issue: 2, waitingOn: [1] }]);
    expect(e.verdicts.get(2)).toBe('human');
  });

  it('reports dependency cycles and never offers their members', () => {
    const e = assess([issue(1, { deps: [2] }), issue(2, { deps: [1] }), issue(3)]);
    expect(e.cycles).toHaveLength(1);
    expect(e.cycles[0]!.sort()).toEqual([1, 2]);
    expect(e.candidates.map((i) => i.number)).toEqual([3]);
  });

  it('counts held work (ledger or this workstation) and backoffs, with the earliest wake-up', () => {
    const e = assess(
      [issue(1), issue(2), issue(3), issue(4)],
      ledger({
        1: { state: 'held', holder: 'ws9' },
        3: { state: 'backoff', waitMs: 5_000 },
        4: { state: 'backoff', waitMs: 2_000 },
      }),
      { heldLocally: (n: number) => n === 2 },
    );
    expect(e.pending).toEqual({ runnable: 0, held: 2, waiting: 2, nextWakeAt: 3_000 });
  });

  it('offers lost work first: a silent owner’s, and an orphan of our own earlier run', () => {
    const view = ledger({
      1: { state: 'held', holder: 'ws1' }, // ours, but this process does not hold it: a crash and restart
      2: { state: 'held', holder: 'ws1' }, // ours, held by this very process
      3: { state: 'stale', holder: 'ws9' },
      4: { state: 'held', holder: 'ws9' },
    });
    const e = assess([issue(1), issue(2), issue(3), issue(4), issue(5)], view, {
      self: { ownerId: 'ws1', holds: (n: number) => n === 2 },
    });
    expect([...e.recover].sort()).toEqual([1, 3]);
    expect(e.candidates.map((i) => i.number)).toEqual([1, 3, 5]);
    expect(e.pending.held).toBe(2);
    // Without knowing who we are, our own orphan looks held by a live owner.
    expect(assess([issue(1)], view).candidates).toEqual([]);
  });

  it('matches capability labels against the daemon’s agent', () => {
    const issues = [issue(1, { agent: 'codex' }), issue(2, { agent: 'claude' }), issue(3)];
    expect(assess(issues, undefined, { agent: 'codex' }).candidates.map((i) => i.number)).toEqual([1, 3]);
    expect(assess(issues).candidates.map((i) => i.number)).toEqual([1, 2, 3]);
  });
});

describe('deep dependency chains', () => {
  const N = 10_000;
  /** #1 → #2 → … → #N: each issue depends on the next, so #1 (looked at first) waits on them all. */
  const chain = (fields: Partial<IssueSnapshot> = {}) =>
    Array.from({ length: N }, (_, i) => issue(i + 1, { deps: i === N - 1 ? [] : [i + 2], ...fields }));

  it('walks a 10,000-deep chain of trusted issues without overflowing the stack', () => {
    const e = assess(chain());
    expect(e.candidates.map((c) => c.number)).toEqual([N]);
    expect(e.pending.waiting).toBe(N - 1);
    expect(e.verdicts.get(1)).toBe('waiting');
  });

  it('reports a 10,000-long cycle instead of overflowing', () => {
    const issues = chain();
    issues[N - 1] = issue(N, { deps: [1] });
    const e = assess(issues);
    expect(e.cycles).toHaveLength(1);
    expect(e.cycles[0]).toHaveLength(N);
    expect(e.candidates).toEqual([]);
  });

  it('reads no dependencies from untrusted issues: a stranger’s chain (and cycle) burdens nothing', () => {
    const strangers = chain({ authorAssociation: 'NONE' });
    strangers[N - 1] = issue(N, { authorAssociation: 'NONE', deps: [1] }); // a cycle, too
    const mine = issue(N + 1, { deps: [1] });
    const e = assess([...strangers, mine]);
    expect(e.cycles).toEqual([]);
    expect(e.blocked).toEqual([{ issue: N + 1, waitingOn: [1] }]);
    expect(e.verdicts.get(N + 1)).toBe('human'); // waits on an issue no daemon will work
    expect(e.verdicts.get(2)).toMatch(/untrusted author/);
  });
});

describe('a start gate (PROJECT_READY_STATUS)', () => {
  it('keeps issues the ledger never saw from starting, with its reason; work the ledger knows goes on', () => {
    const gate = (n: number) => (n === 1 ? null : "not in the project's Ready column");
    const view = ledger({ 3: { state: 'backoff', waitMs: 0 }, 4: { state: 'stale', holder: 'ws2/codex' } });
    const result = assess([issue(1), issue(2), issue(3), issue(4)], view, { startGate: gate });
    expect(result.candidates.map((i) => i.number)).toEqual([1, 4]);
    expect(result.skipped).toEqual([{ issue: 2, reason: "not in the project's Ready column" }]);
    expect(result.pending.waiting).toBe(1); // #3: a retry after a failure is not gated
  });
});
