/**
 * Posting a reviewer's verdict under the review chain's fencing: fence (CAS) → post the review
 * on GitHub → release with the verdict (CAS). A reviewer paused past the stale threshold and
 * taken over fails the fence and posts nothing; one taken over between its fence and its release
 * has posted already, so it dismisses its own review: a fenced reviewer's word never stands.
 */
import type { ReviewChain, ReviewTicket } from './review-chain.js';

/** What the poster needs of GitHub (pulls/pull-reviews.ts implements it). */
export interface ReviewPoster {
  create(
    pr: number,
    review: { event: 'APPROVE' | 'REQUEST_CHANGES'; body: string; commitId: string },
  ): Promise<{ id: number }>;
  dismiss(pr: number, reviewId: number, message: string): Promise<void>;
}

export type PostOutcome =
  | { kind: 'posted'; reviewId: number; ticket: ReviewTicket }
  /** The fence was refused: nothing was posted. */
  | { kind: 'not-posted'; reason: string }
  /** Posted, then the release was refused: the review was dismissed again. */
  | { kind: 'dismissed'; reviewId: number; reason: string };

export async function postVerdict(
  chain: ReviewChain,
  poster: ReviewPoster,
  ticket: ReviewTicket,
  verdict: { verdict: 'approve' | 'request-changes'; body: string },
): Promise<PostOutcome> {
  const fenced = await chain.fence(ticket);
  if (!fenced.ok) return { kind: 'not-posted', reason: fenced.reason };
  const event = verdict.verdict === 'approve' ? 'APPROVE' : 'REQUEST_CHANGES';
  const review = await poster.create(ticket.pr, { event, body: verdict.body, commitId: ticket.headSha });
  const released = await chain.release(fenced.ticket, verdict.verdict, {
    reviewId: review.id,
    by: ticket.owner,
  });
  if (released.ok) return { kind: 'posted', reviewId: review.id, ticket: released.ticket };
  await poster.dismiss(
    ticket.pr,
    review.id,
    `codex-monitor: ${ticket.owner} lost its review claim (${released.reason}); this review does not count.`,
  );
  return { kind: 'dismissed', reviewId: review.id, reason: released.reason };
}
