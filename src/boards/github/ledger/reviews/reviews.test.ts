import { describe, expect, it } from 'vitest';
import type { TaskRecord } from '../records/ledger-record.js';
import type { LedgerTaskView } from '../records/ledger-view.js';
import { reviewCandidates } from './review-candidates.js';
import { decideReview, type ReviewClaimFacts } from './review-policy.js';
import { encodeReviewMessage, parseReviewRecord, type ReviewRecord } from './review-record.js';

const record: ReviewRecord = {
  v: 1,
  kind: 'review-release',
  pr: 7,
  issue: 3,
  owner: 'ws2/review',
  author: 'ws1/codex',
  attempt: 'a1',
  epoch: 2,
  round: 1,
  headSha: 'abc123',
  verdict: 'request-changes',
  reviewId: 100,
  at: '2026-01-01T00:00:00.000Z',
};

describe('review records', () => {
  it('round-trip through a commit message, and belong to their own pull request only', () => {
    const message = encodeReviewMessage(record);
    expect(message.split('\n')[0]).toBe(
      'codex-monitor: review-release PR #7 request-changes by ws2/review (epoch 2)',
    );
    expect(parseReviewRecord(message, 7)).toEqual(record);
    expect(parseReviewRecord(message, 8)).toBeNull();
  });

  it('parse anything else to null without throwing', () => {
    for (const bad of ['', 'not json', '{"kind":"claim"}', JSON.stringify({ ...record, verdict: 'maybe' })]) {
      expect(parseReviewRecord(`x\n\n${bad}`, 7)).toBeNull();
    }
    expect(parseReviewRecord(`x\n\n${JSON.stringify({ ...record, owner: '' })}`, 7)).toBeNull();
  });
});

describe('who may claim a review', () => {
  const facts: ReviewClaimFacts = {
    reviewer: 'ws2/review',
    author: 'ws1/codex',
    headSha: 'abc123',
    maxRounds: 2,
    isOwnerStale: (owner) => owner === 'ws9/gone',
  };
  const claim = { ...record, kind: 'review-claim' as const, verdict: undefined };

  it('follows the tip: free, held, stale holder, verified, failed', () => {
    expect(decideReview(undefined, facts)).toEqual({ action: 'claim', round: 0, tookOverFrom: null });
    expect(decideReview(null, facts)).toMatchObject({ reason: 'bad-ref' });
    expect(decideReview({ ...claim, owner: 'ws3/review' }, facts)).toMatchObject({ reason: 'held' });
    expect(decideReview({ ...claim, owner: 'ws9/gone' }, facts)).toEqual({
      action: 'claim',
      round: 1,
      tookOverFrom: 'ws9/gone',
    });
    expect(decideReview({ ...record, verdict: 'approve' }, facts)).toMatchObject({ reason: 'verified' });
    expect(decideReview({ ...record, verdict: 'failed' }, facts)).toMatchObject({
      action: 'claim',
      round: 1,
    });
  });

  it('refuses the author, and a change request until a new head (and only for maxRounds rounds)', () => {
    expect(decideReview(undefined, { ...facts, reviewer: 'ws1/codex' })).toMatchObject({ reason: 'own-pr' });
    expect(decideReview(record, facts)).toMatchObject({ reason: 'awaiting-author' });
    expect(decideReview(record, { ...facts, headSha: 'def456' })).toMatchObject({
      action: 'claim',
      round: 1,
    });
    expect(decideReview({ ...record, round: 2 }, { ...facts, headSha: 'def456' })).toMatchObject({
      reason: 'max-rounds',
    });
  });
});

describe('review candidates', () => {
  const release = (issue: number, extra: Partial<TaskRecord>): LedgerTaskView => ({
    issue,
    sha: `s${issue}`,
    record: {
      v: 1,
      kind: 'release',
      issue,
      owner: 'ws1/codex',
      attempt: 'a',
      epoch: 2,
      retries: 0,
      at: '',
      ...extra,
    },
    state: 'done',
    holder: 'ws1/codex',
    epoch: 2,
    retries: 0,
    mine: false,
    waitMs: null,
    detail: '',
  });

  it('lists delivered, unverified pull requests not delivered by the reviewer, oldest first', () => {
    const tasks = new Map<number, LedgerTaskView>([
      [9, release(9, { outcome: 'complete', pr: 19, branch: 'codex/9-x' })],
      [4, release(4, { outcome: 'complete', pr: 14 })],
      [5, release(5, { outcome: 'complete', pr: 15, verifiedBy: 'ws2/review' })],
      [6, release(6, { outcome: 'complete' })],
      [7, release(7, { outcome: 'failed', pr: 17 })],
      [8, release(8, { outcome: 'complete', pr: 18, owner: 'ws2/review' })],
    ]);
    expect(reviewCandidates({ tasks }, 'ws2/review')).toEqual([
      { issue: 4, pr: 14, author: 'ws1/codex', branch: null },
      { issue: 9, pr: 19, author: 'ws1/codex', branch: 'codex/9-x' },
    ]);
  });
});
