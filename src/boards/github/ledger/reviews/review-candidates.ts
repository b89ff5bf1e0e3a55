/**
 * Review work, found in the listing every daemon reads anyway (no extra request): issues whose
 * chain ends in a `release complete` with a pull request and no `verifiedBy` — delivered, not yet
 * verified. The releasing owner is the PR's author for this round and never reviews it. Whether
 * the review chain is free is the claim's decision (review-policy.ts): one tip read per claim.
 */
import type { LedgerView } from '../records/ledger-view.js';

export interface ReviewCandidate {
  issue: number;
  pr: number;
  /** The owner whose attempt delivered this pull request. */
  author: string;
  branch: string | null;
}

/** Candidates for `reviewer`, oldest issue first. */
export function reviewCandidates(view: Pick<LedgerView, 'tasks'>, reviewer: string): ReviewCandidate[] {
  const out: ReviewCandidate[] = [];
  for (const task of view.tasks.values()) {
    const rec = task.record;
    if (rec?.kind !== 'release' || rec.outcome !== 'complete' || !rec.pr || rec.verifiedBy) continue;
    if (rec.owner === reviewer) continue;
    out.push({ issue: task.issue, pr: rec.pr, author: rec.owner, branch: rec.branch ?? null });
  }
  return out.sort((a, b) => a.issue - b.issue);
}
