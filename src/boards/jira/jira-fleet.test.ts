import { describe, expect, it } from 'vitest';
import type { LedgerTaskView, LedgerView, TaskRecord } from '../github/ledger/index.js';
import { buildFleetView } from '../ledger/index.js';
import { assessJiraIssues } from './jira-eligibility.js';
import type { JiraSnapshot } from './jira-issue.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');

const issue = (n: number, extra: Partial<JiraSnapshot> = {}): JiraSnapshot => ({
  id: 10_000 + n,
  key: `OPS-${n}`,
  title: `Task ${n}`,
  body: '',
  labels: ['codex'],
  status: 'To Do',
  closed: false,
  updated: '',
  updatedMs: T0,
  blockedBy: [],
  agent: null,
  priority: 0,
  url: '',
  ...extra,
});

const chain = (
  id: number,
  state: LedgerTaskView['state'],
  extra: Partial<TaskRecord> = {},
): LedgerTaskView => {
  const kind: TaskRecord['kind'] = state === 'held' ? 'claim' : state === 'poisoned' ? 'poison' : 'release';
  const record: TaskRecord = {
    v: 1,
    kind,
    issue: id,
    owner: 'ws1/codex',
    attempt: 'a',
    epoch: 2,
    retries: 0,
    at: '2026-01-01T00:00:00Z',
    ...extra,
  };
  return {
    issue: id,
    sha: `sha${id}`,
    record,
    state,
    holder: kind === 'claim' ? record.owner : null,
    epoch: record.epoch,
    retries: record.retries,
    mine: false,
    waitMs: null,
    detail: '',
  };
};

describe('the neutral fleet view with Jira rows', () => {
  it('names every task by its key, reads Jira’s labels and closed issues, and keeps the chain ids', () => {
    const list = [
      issue(1),
      issue(2, { blockedBy: [{ id: 10_001, key: 'OPS-1', done: false }] }),
      issue(3, { labels: ['codex', 'Codex-Ignore'] }),
      issue(4, { closed: true, status: 'Done', labels: ['codex', 'codex-done'] }),
      issue(5, { labels: ['codex', 'codex-failed'] }),
      issue(6, { priority: 5 }),
      issue(7, { closed: true, status: 'Done' }),
    ];
    const issues = new Map(list.map((i) => [i.id, i]));
    const view: LedgerView = {
      tasks: new Map([
        [10_001, chain(10_001, 'held')],
        [10_004, chain(10_004, 'done', { outcome: 'complete' })],
        [10_005, chain(10_005, 'poisoned', { retries: 3, reason: 'failed 3 times' })],
      ]),
      owners: new Map([['ws1/codex', { ownerId: 'ws1/codex', sha: 'o1', unchangedForMs: 0, stale: false }]]),
      refreshedAt: 0,
    };
    const eligibility = assessJiraIssues({
      issues,
      ledger: view,
      agent: null,
      ignoreLabel: 'codex-ignore',
      heldLocally: () => false,
      now: T0,
    });
    const fleet = buildFleetView({
      board: 'jira',
      repository: 'https://acme.atlassian.net',
      now: T0,
      ledger: { transport: 'git', where: 'file:///ledger.git' },
      staleThresholdMs: 5000,
      view,
      eligibility,
      idOf: (i) => i.id,
      titleOf: (id) => issues.get(id)?.title ?? '',
      labelsOf: (id) => issues.get(id)?.labels,
      labels: { ignore: 'codex-ignore', done: 'codex-done', failed: 'codex-failed' },
      keyOf: (id) => issues.get(id)?.key ?? `id ${id}`,
      pullState: () => null,
      heartbeats: new Map([
        [
          'ws1/codex',
          {
            v: 1,
            kind: 'heartbeat',
            owner: 'ws1/codex',
            instance: 'i',
            seq: 1,
            running: [10_001, 99],
            at: 'x',
          },
        ],
      ]),
      ages: { age: () => undefined, firstSeen: () => undefined },
      ownerId: 'me',
    });
    expect(fleet.board).toBe('jira');
    expect(fleet.held).toEqual([
      {
        issue: 10_001,
        key: 'OPS-1',
        title: 'Task 1',
        owner: 'ws1/codex',
        epoch: 2,
        since: '2026-01-01T00:00:00Z',
        ownerLiveness: 'unknown',
      },
    ]);
    expect(fleet.blocked).toEqual([
      {
        issue: 10_002,
        key: 'OPS-2',
        title: 'Task 2',
        waitingOn: [{ issue: 10_001, key: 'OPS-1', pr: null }],
      },
    ]);
    expect(fleet.ignored).toEqual([{ issue: 10_003, key: 'OPS-3', title: 'Task 3' }]);
    expect(fleet.done).toEqual([{ issue: 10_004, key: 'OPS-4', title: 'Task 4', pr: null, prState: null }]);
    expect(fleet.poisoned).toEqual([
      { issue: 10_005, key: 'OPS-5', title: 'Task 5', retries: 3, reason: 'failed 3 times' },
    ]);
    expect(fleet.queue).toEqual([
      { issue: 10_006, key: 'OPS-6', title: 'Task 6', priority: 5, recover: false },
    ]);
    // Closed by a person, never run by the fleet: said so, not counted as done.
    expect(fleet.skipped).toEqual([
      { issue: 10_007, key: 'OPS-7', title: 'Task 7', reason: 'closed in Jira (Done)' },
    ]);
    // What an owner runs is named too, an issue the query does not list by its id.
    expect(fleet.owners[0]?.running).toEqual([10_001, 99]);
    expect(fleet.keys).toMatchObject({ 10001: 'OPS-1', 99: 'id 99' });
    expect(fleet.summary).toMatchObject({ owners: 1, held: 1, queued: 1, blocked: 1, done: 1, skipped: 1 });
  });
});
