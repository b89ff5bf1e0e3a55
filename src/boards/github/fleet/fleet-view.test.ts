import { describe, expect, it } from 'vitest';
import { MemoryKeyValueStore } from '../../../state/kv-store.js';
import { buildFleetView, FleetSightings } from '../../ledger/index.js';
import { assessIssues, type IssueSnapshot } from '../issues/index.js';
import type { LedgerTaskView, LedgerView, TaskRecord } from '../ledger/index.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');

describe('FleetSightings: ages across one-shot looks, on this machine’s clock', () => {
  it('says first look, then "at least" while unchanged, "at most" once moved, and forgets deleted refs', () => {
    const kv = new MemoryKeyValueStore();
    const look = (listing: Record<string, string>, now: number) => {
      const s = new FleetSightings(kv, 'acme/widgets'); // a new process each time
      s.observe(new Map(Object.entries(listing)), now);
      return s;
    };
    expect(look({ 'owners/a': 's1', 'owners/b': 'b1' }, T0).age('owners/a')).toMatchObject({
      bound: 'first-look',
      ageMs: 0,
    });
    const second = look({ 'owners/a': 's1', 'owners/b': 'b2' }, T0 + 5000);
    expect(second.age('owners/a')).toMatchObject({ bound: 'at-least', ageMs: 5000 });
    expect(second.age('owners/b')).toMatchObject({ bound: 'at-most', ageMs: 5000 });
    const third = look({ 'owners/b': 'b2' }, T0 + 7000);
    expect(third.age('owners/b')).toMatchObject({ bound: 'at-least', ageMs: 2000 });
    expect(third.firstSeen('owners/a')).toBeUndefined();
    expect(look({ 'owners/a': 's1' }, T0 + 8000).age('owners/a')?.bound).toBe('first-look');
    // Another repository's sightings are its own.
    expect(new FleetSightings(kv, 'acme/other').firstSeen('owners/a')).toBeUndefined();
  });
});

const issue = (number: number, extra: Partial<IssueSnapshot> = {}): IssueSnapshot => ({
  number,
  title: `Task ${number}`,
  body: '',
  state: 'open',
  stateReason: null,
  labels: [],
  authorAssociation: 'OWNER',
  author: 'o',
  url: '',
  updatedAt: '',
  deps: [],
  agent: null,
  priority: 0,
  ...extra,
});

const record = (issue: number, kind: TaskRecord['kind'], extra: Partial<TaskRecord> = {}): TaskRecord => ({
  v: 1,
  kind,
  issue,
  owner: 'ws1',
  attempt: 'a',
  epoch: 2,
  retries: 0,
  at: '2026-01-01T00:00:00Z',
  ...extra,
});

const chain = (issue: number, state: LedgerTaskView['state'], rec: TaskRecord): LedgerTaskView => ({
  issue,
  sha: `sha${issue}`,
  record: rec,
  state,
  holder: rec.kind === 'claim' || rec.kind === 'release' ? rec.owner : null,
  epoch: rec.epoch,
  retries: rec.retries,
  mine: false,
  waitMs: null,
  detail: '',
});

/** What an owner-only trust policy makes of `issues` against `view`. */
const eligibility = (issues: Map<number, IssueSnapshot>, view: LedgerView, now: number) =>
  assessIssues({
    issues,
    ledger: view,
    agent: null,
    policy: { trustedAssociations: ['OWNER'], taskLabels: [] },
    heldLocally: () => false,
    now,
  });

/** What GitHub's fleet reader (fleet-read.ts) tells the neutral view about its issues. */
const github = (issues: Map<number, IssueSnapshot>) => ({
  board: 'github' as const,
  idOf: (i: IssueSnapshot) => i.number,
  titleOf: (n: number) => issues.get(n)?.title ?? '',
  labelsOf: (n: number) => issues.get(n)?.labels,
  labels: { ignore: 'codex:ignore', done: 'codex:done', failed: 'codex:failed' },
});

describe('buildFleetView', () => {
  it('sorts every open task into one list, counts the summary from the lists, and judges owners by their bound', () => {
    const issues = new Map(
      [
        issue(1),
        issue(2, { deps: [1] }),
        issue(3),
        issue(4, { authorAssociation: 'NONE' }),
        issue(5, { labels: ['codex:ignore'] }),
        issue(6, { state: 'closed', stateReason: 'completed' }),
        issue(7, { priority: 10 }),
        issue(8),
      ].map((i) => [i.number, i]),
    );
    const tasks = new Map([
      [1, chain(1, 'held', record(1, 'claim'))],
      [3, chain(3, 'backoff', record(3, 'release', { outcome: 'failed', retries: 1, backoffMs: 60_000 }))],
      [6, chain(6, 'done', record(6, 'release', { outcome: 'complete', pr: 9 }))],
    ]);
    const view: LedgerView = {
      tasks,
      owners: new Map([['ws1', { ownerId: 'ws1', sha: 'o1', unchangedForMs: 0, stale: false }]]),
      refreshedAt: 0,
    };
    const now = T0 + 10_000;
    const fleet = buildFleetView({
      repository: 'acme/widgets',
      now,
      ledger: { transport: 'rest', where: 'acme/widgets' },
      staleThresholdMs: 5000,
      view,
      eligibility: eligibility(issues, view, now),
      ...github(issues),
      pullState: (pr) => (pr === 9 ? 'merged' : null),
      heartbeats: new Map([
        ['ws1', { v: 1, kind: 'heartbeat', owner: 'ws1', instance: 'i', seq: 3, running: [1], at: 'x' }],
      ]),
      ages: {
        age: () => ({ bound: 'at-least', ageMs: 6000, firstSeen: new Date(T0).toISOString() }),
        firstSeen: (key) => (key === 'tasks/3' ? T0 : undefined),
      },
      ownerId: 'me',
    });
    expect(fleet.owners).toEqual([expect.objectContaining({ id: 'ws1', running: [1], liveness: 'stale' })]);
    expect(fleet.held).toEqual([
      {
        issue: 1,
        title: 'Task 1',
        owner: 'ws1',
        epoch: 2,
        since: '2026-01-01T00:00:00Z',
        ownerLiveness: 'stale',
      },
    ]);
    expect(fleet.blocked).toEqual([{ issue: 2, title: 'Task 2', waitingOn: [{ issue: 1, pr: null }] }]);
    // Counted from when this observer first saw the release, not from the writer's clock.
    expect(fleet.backingOff).toEqual([
      {
        issue: 3,
        title: 'Task 3',
        retries: 1,
        until: new Date(T0 + 60_000).toISOString(),
        remainingMs: 50_000,
      },
    ]);
    expect(fleet.skipped).toEqual([expect.objectContaining({ issue: 4 })]);
    expect(fleet.ignored).toEqual([{ issue: 5, title: 'Task 5' }]);
    expect(fleet.done).toEqual([{ issue: 6, title: 'Task 6', pr: 9, prState: 'merged' }]);
    expect(fleet.queue.map((q) => q.issue)).toEqual([7, 8]); // priority first
    const { owners, live, stale, unknown, ...lists } = fleet.summary;
    expect({ owners, live, stale, unknown }).toEqual({ owners: 1, live: 0, stale: 1, unknown: 0 });
    expect(lists).toEqual({
      held: 1,
      queued: 2,
      blocked: 1,
      backingOff: 1,
      poisoned: 0,
      done: 1,
      ignored: 1,
      skipped: 1,
    });
  });

  it('shows a hand claim as held by hand, until the lease’s end by the claimer’s clock', () => {
    const issues = new Map([[1, issue(1)]]);
    const rec = { ...record(1, 'claim'), owner: 'ws3/alice', hand: true as const, leaseMs: 3_600_000 };
    const view: LedgerView = {
      tasks: new Map([[1, chain(1, 'held', rec)]]),
      owners: new Map(),
      refreshedAt: 0,
    };
    const fleet = buildFleetView({
      repository: 'acme/widgets',
      now: T0,
      ledger: { transport: 'rest', where: 'acme/widgets' },
      staleThresholdMs: 5000,
      view,
      eligibility: eligibility(issues, view, T0),
      ...github(issues),
      pullState: () => null,
      heartbeats: new Map(),
      ages: { age: () => undefined, firstSeen: () => undefined },
      ownerId: 'me',
    });
    expect(fleet.held).toMatchObject([
      { issue: 1, owner: 'ws3/alice', byHandUntil: '2026-01-01T01:00:00.000Z' },
    ]);
  });
});
