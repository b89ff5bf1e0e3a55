import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.js';
import { silentLogger } from '../../../core/logger.js';
import type { LedgerTaskState, LedgerView, TaskRecord } from '../ledger/index.js';
import type { MirrorTarget } from './mirror.js';
import { expectedMirror, MirrorReconciler } from './mirror-reconciler.js';

const record = (kind: TaskRecord['kind'], fields: Partial<TaskRecord> = {}): TaskRecord => ({
  v: 1,
  kind,
  issue: 1,
  owner: 'ws1/codex',
  attempt: kind === 'claim' || kind === 'release' ? 'a1' : '',
  epoch: 2,
  retries: 0,
  at: '2026-11-29T00:00:00.000Z',
  ...fields,
});

function view(tips: Record<number, { record: TaskRecord; state?: LedgerTaskState }>): LedgerView {
  const tasks = new Map(
    Object.entries(tips).map(([n, t]) => [
      Number(n),
      {
        issue: Number(n),
        sha: `sha${n}@${t.record.epoch}`,
        record: t.record,
        state: t.state ?? 'done',
        holder: t.record.owner,
        epoch: t.record.epoch,
        retries: t.record.retries,
        mine: false,
        waitMs: null,
        detail: '',
      },
    ]),
  );
  return { tasks, owners: new Map(), refreshedAt: 0 };
}

function reconciler(
  labels: Record<number, string[]>,
  comments: Record<number, { status: string; epoch: number }>,
  projectPending?: (issue: number) => boolean,
) {
  const clock = new ManualClock();
  const desired: MirrorTarget[] = [];
  const reads = { comments: 0 };
  const r = new MirrorReconciler({
    mirror: {
      mirror: { desire: (t) => desired.push(t), backlog: 0 },
      ownWriteRecent: () => false,
      holds: async () => true,
    },
    labels: (n) => labels[n],
    comment: (n) => {
      reads.comments++;
      return comments[n] ?? null;
    },
    clock,
    logger: silentLogger(),
    maxRetries: 3,
    othersGraceMs: 10_000,
    ...(projectPending ? { projectPending } : {}),
  });
  return { r, clock, desired, reads };
}

const self = { ownerId: 'ws1/codex', holds: () => false };

describe('the mirror a ledger tip asks for', () => {
  it('maps each tip to its label and comment status', () => {
    const of = (rec: TaskRecord, state: LedgerTaskState = 'done') => {
      const e = expectedMirror(view({ 1: { record: rec, state } }).tasks.get(1)!, 3);
      return e && [e.label, e.comment?.status ?? null];
    };
    expect(of(record('claim'), 'held')).toEqual(['working', 'working']);
    expect(of(record('claim'), 'stale')).toBeNull(); // a takeover will follow
    expect(of(record('release', { outcome: 'complete' }))).toEqual(['done', 'done']);
    // Approved by a reviewer (propose → verify → apply): codex:verified, still done in the comment.
    expect(of(record('release', { outcome: 'complete', verifiedBy: 'ws2/review' }))).toEqual([
      'verified',
      'done',
    ]);
    const approved = record('release', { outcome: 'complete', verifiedBy: 'human:alice', pr: 9 });
    expect(expectedMirror(view({ 1: { record: approved, state: 'done' } }).tasks.get(1)!, 3)).toMatchObject({
      comment: { status: 'done', outcome: 'complete', verifiedBy: 'human:alice', pr: 9 },
    });
    expect(of(record('release', { outcome: 'failed', retries: 1 }))).toEqual([null, 'released']);
    expect(of(record('release', { outcome: 'abandoned' }))).toEqual([null, 'released']);
    expect(of(record('poison'))).toEqual(['failed', 'failed']);
    expect(of(record('reset'))).toEqual([null, null]);
  });

  it('shows a person’s hand claim as claimed, held by hand until the lease’s end', () => {
    const hand = record('claim', { owner: 'ws3/alice', hand: true, leaseMs: 7_200_000 });
    const e = expectedMirror(view({ 1: { record: hand, state: 'held' } }).tasks.get(1)!, 3);
    expect(e).toMatchObject({
      label: 'claimed',
      comment: { owner: 'ws3/alice', status: 'claimed', hand: { until: '2026-11-29T02:00:00.000Z' } },
    });
  });
});

describe('reconciling the mirror with the ledger', () => {
  const done = { record: record('release', { outcome: 'complete', epoch: 2 }) };

  it('queues nothing when labels and the known comment agree, and looks at nothing twice', () => {
    const { r, desired, reads } = reconciler(
      { 1: ['bug', 'codex:done'] },
      { 1: { status: 'done', epoch: 2 } },
    );
    expect(r.cycle(view({ 1: done }), self)).toBe(0);
    expect(r.cycle(view({ 1: done }), self)).toBe(0);
    expect(desired).toEqual([]);
    expect(reads.comments).toBe(1); // the second cycle found the same tip and labels: no second look
  });

  it('repairs our own record at once: codex:working left behind after a completed release', () => {
    const { r, desired } = reconciler({ 1: ['codex:working'] }, { 1: { status: 'working', epoch: 1 } });
    expect(r.cycle(view({ 1: done }), self)).toBe(1);
    expect(desired[0]).toMatchObject({ issue: 1, label: 'done', comment: { status: 'done', epoch: 2 } });
    // A repair is not repeated every cycle while it is on its way.
    expect(r.cycle(view({ 1: done }), self)).toBe(0);
  });

  it('leaves another owner’s record to its writer for a grace period, then repairs it', () => {
    const other = { record: record('release', { outcome: 'complete', owner: 'ws2/codex' }) };
    const { r, clock, desired } = reconciler({ 1: [] }, {});
    expect(r.cycle(view({ 1: other }), self)).toBe(0);
    clock.advance(20_000); // the grace plus the largest spread
    expect(r.cycle(view({ 1: other }), self)).toBe(1);
    expect(desired[0]).toMatchObject({ label: 'done' });
  });

  it('judges another owner’s record by its labels: a comment it never read is no reason to write one', () => {
    // Found by bench:fleet: every daemon "repaired" each finished issue whose comment it had not
    // read itself, racing the slow (paced) writer to create the comment — two state comments.
    const other = { record: record('release', { outcome: 'complete', owner: 'ws2/codex' }) };
    const { r, clock, desired } = reconciler({ 1: ['codex:done'] }, {});
    expect(r.cycle(view({ 1: other }), self)).toBe(0);
    clock.advance(10 * 60_000);
    expect(r.cycle(view({ 1: other }), self)).toBe(0);
    expect(desired).toEqual([]);
  });

  it('never mirrors a claim it does not run, and paces a big backlog', () => {
    const tips: Record<number, { record: TaskRecord; state?: LedgerTaskState }> = {};
    const labels: Record<number, string[]> = {};
    for (let n = 1; n <= 10; n++) {
      tips[n] = { record: record('release', { issue: n, outcome: 'complete' }) };
      labels[n] = [];
    }
    tips[11] = { record: record('claim', { issue: 11 }), state: 'held' };
    labels[11] = [];
    const { r, desired } = reconciler(labels, {});
    expect(r.cycle(view(tips), self)).toBe(3);
    expect(r.cycle(view(tips), self)).toBe(3);
    expect(desired.map((t) => t.issue)).not.toContain(11);
  });

  it('repairs an issue whose project card move failed, though labels and comment agree', () => {
    const failed = new Set([1]);
    const delivered = { record: record('release', { outcome: 'complete', epoch: 2, pr: 9 }) };
    const { r, clock, desired } = reconciler(
      { 1: ['codex:done'] },
      { 1: { status: 'done', epoch: 2 } },
      (n) => failed.has(n),
    );
    expect(r.cycle(view({ 1: delivered }), self)).toBe(1);
    // The pull request travels with the target: the card goes to In review, not Done.
    expect(desired[0]).toMatchObject({ issue: 1, label: 'done', comment: { pr: 9 } });
    failed.delete(1); // the move landed
    clock.advance(60_000);
    expect(r.cycle(view({ 1: delivered }), self)).toBe(0);
  });
});
