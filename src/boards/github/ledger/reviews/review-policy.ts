/**
 * Whether a reviewer may claim a pull request's review chain, from its tip alone (pure, so the
 * rules are tested without a ledger). The author's own owner never reviews; a live holder keeps
 * it; an approval ends the chain; a change request waits for the author's next push (a new head)
 * and, after `maxRounds` of them, for a human.
 */
import type { ReviewRecord } from './review-record.js';

export interface ReviewClaimFacts {
  reviewer: string;
  /** The owner that opened (or last updated) the pull request. */
  author: string;
  /** The pull request's head now. */
  headSha: string;
  maxRounds: number;
  /** Seen unchanged past the stale threshold by this observer. */
  isOwnerStale(owner: string): boolean;
}

export type ReviewRefusal = 'own-pr' | 'held' | 'verified' | 'awaiting-author' | 'max-rounds' | 'bad-ref';

export type ReviewDecision =
  | { action: 'claim'; round: number; tookOverFrom: string | null }
  | { action: 'refuse'; reason: ReviewRefusal; detail: string };

/** `tip`: undefined when the chain does not exist yet, null when its tip is not a review record. */
export function decideReview(tip: ReviewRecord | null | undefined, facts: ReviewClaimFacts): ReviewDecision {
  const refuse = (reason: ReviewRefusal, detail: string): ReviewDecision => ({
    action: 'refuse',
    reason,
    detail,
  });
  if (facts.reviewer === facts.author) {
    return refuse('own-pr', `${facts.reviewer} opened this pull request; another owner must review it`);
  }
  if (tip === undefined) return { action: 'claim', round: 0, tookOverFrom: null };
  if (tip === null) return refuse('bad-ref', 'the review chain ends in a commit that is not a review record');
  if (tip.kind === 'review-claim') {
    if (tip.owner === facts.reviewer || !facts.isOwnerStale(tip.owner)) {
      return refuse('held', `${tip.owner} is reviewing it (epoch ${tip.epoch})`);
    }
    return { action: 'claim', round: tip.round, tookOverFrom: tip.owner };
  }
  switch (tip.verdict) {
    case 'approve':
      return refuse('verified', `approved by ${tip.by ?? tip.owner}`);
    case 'request-changes':
      if (tip.round >= facts.maxRounds) {
        return refuse('max-rounds', `${tip.round} rounds of requested changes: a human decides now`);
      }
      if (tip.headSha === facts.headSha) {
        return refuse(
          'awaiting-author',
          `changes requested on ${tip.headSha.slice(0, 7)}; the author has not pushed since`,
        );
      }
      return { action: 'claim', round: tip.round, tookOverFrom: null };
    default:
      return { action: 'claim', round: tip.round, tookOverFrom: null };
  }
}
