/**
 * What a review verdict writes on the issue's own chain (the task chain), so that the issue's
 * state stays one ledger fact whichever daemon reads it — older ones included, since only
 * records they know are written:
 *   approve                         → `release complete` with `verifiedBy` (still done; verified)
 *   request changes, rounds left    → `release abandoned` naming the review: back in the queue,
 *                                     no failed attempt counted, same branch and pull request
 *   request changes, no rounds left → `poison`: codex:failed and a comment for a human
 * Only on the tip the review was about: a `release complete` with that pull request.
 */
import type { TipBase } from '../ledger-chain.js';
import type { RewritePlan } from '../ledger-writer.js';
import { carried } from '../records/ledger-record.js';

export interface ReviewOutcome {
  reviewer: string;
  pr: number;
  verdict: 'approve' | 'request-changes';
  /** The GitHub review that decided. */
  reviewId: number;
  /** Request-changes rounds including this one. */
  round: number;
  maxRounds: number;
  /** Who decided, when not the reviewer (`human:alice`). */
  by?: string;
}

export function reviewPlan(base: TipBase | null, o: ReviewOutcome): RewritePlan {
  const rec = base?.record;
  if (rec?.kind !== 'release' || rec.pr !== o.pr) {
    if (o.verdict === 'approve' && rec?.verifiedBy) return 'unchanged';
    return {
      held: `#${rec?.issue ?? '?'} is no longer the delivered pull request #${o.pr} (tip: ${rec?.kind ?? 'none'})`,
    };
  }
  if (rec.outcome !== 'complete') return 'unchanged'; // already sent back (or abandoned) by an earlier write
  const who = o.by ?? o.reviewer;
  const common = { owner: o.reviewer, retries: rec.retries, review: o.reviewId, ...carried(rec) };
  if (o.verdict === 'approve') {
    if (rec.verifiedBy) return 'unchanged';
    return { ...common, kind: 'release', attempt: rec.attempt, outcome: 'complete', verifiedBy: who };
  }
  if (o.round >= o.maxRounds) {
    return {
      ...common,
      kind: 'poison',
      attempt: '',
      reason: `changes requested in ${o.round} review rounds (REVIEW_MAX_ROUNDS ${o.maxRounds}), last by ${who}: a human decides`,
    };
  }
  return {
    ...common,
    kind: 'release',
    attempt: rec.attempt,
    outcome: 'abandoned',
    reason: `changes requested by ${who} in review ${o.reviewId} (round ${o.round} of ${o.maxRounds})`,
  };
}
