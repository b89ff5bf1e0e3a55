/**
 * One review round of a pull request the fleet opened (propose → verify → apply): a person's
 * review of the head wins outright; otherwise the reviewer claims the PR's review chain (never
 * its author's owner), its agent decides, the verdict is posted under the chain's fencing
 * (ledger/reviews/review-post.ts), and the issue chain records it — verified (and the PR leaves
 * draft), back to the queue with the review, or, after the last round, poisoned for a human.
 * A round whose owner's heartbeat lapsed past the renew deadline (`lease`, review-lease.ts)
 * stops there: it posts nothing and gives the chain back as abandoned (a CAS that fails harmlessly
 * when another reviewer took it over). The agent is injected (review-work.ts runs it).
 */
import type { RefLedger, ReviewCandidate, ReviewChain, ReviewTicket, ReviewVerdict } from './ledger/index.js';
import { postVerdict } from './ledger/index.js';
import { humanVerdict, type PullReviews } from './pulls/index.js';

/** The pull request as the round needs it (one GET). */
export interface ReviewedPull {
  open: boolean;
  draft: boolean;
  headSha: string;
  nodeId: string;
}

export interface ReviewRoundContext {
  chain: ReviewChain;
  ledger: Pick<RefLedger, 'recordReview'>;
  reviews: Pick<PullReviews, 'list' | 'create' | 'dismiss' | 'markReady'>;
  pull(pr: number): Promise<ReviewedPull>;
  reviewer: string;
  /** The fleet's GitHub logins: their reviews are agents', never a person's. */
  fleetLogins: ReadonlySet<string>;
  maxRounds: number;
  isOwnerStale(owner: string): boolean;
  /** The round's self-fence: why it must not write any more, or null (review-lease.ts). */
  lease?: { fenced(): string | null };
}

export type AgentVerdict = { verdict: 'approve' | 'request-changes'; body: string };
/** Runs the reviewing agent on the claimed head; throws when the agent failed. */
export type ReviewAgent = (ticket: ReviewTicket) => Promise<AgentVerdict>;

export type ReviewRoundResult =
  | { kind: 'skipped'; reason: string }
  | { kind: 'human'; verdict: AgentVerdict['verdict']; login: string }
  | { kind: 'posted'; verdict: AgentVerdict['verdict']; reviewId: number; round: number }
  | { kind: 'not-posted' | 'dismissed' | 'self-fenced'; reason: string }
  | { kind: 'failed'; error: string };

export async function runReviewRound(
  ctx: ReviewRoundContext,
  candidate: ReviewCandidate,
  agent: ReviewAgent,
): Promise<ReviewRoundResult> {
  const pull = await ctx.pull(candidate.pr);
  if (!pull.open) return { kind: 'skipped', reason: `pull request #${candidate.pr} is not open` };
  const human = await personDecides(ctx, candidate, pull);
  if (human) return human;
  const silent = ctx.lease?.fenced();
  if (silent) return { kind: 'skipped', reason: silent };
  const claimed = await ctx.chain.claim(candidate, {
    reviewer: ctx.reviewer,
    author: candidate.author,
    headSha: pull.headSha,
    maxRounds: ctx.maxRounds,
    isOwnerStale: ctx.isOwnerStale,
  });
  if (!claimed.ok) return { kind: 'skipped', reason: `${claimed.reason}: ${claimed.detail}` };
  let verdict: AgentVerdict;
  try {
    verdict = await agent(claimed.ticket);
  } catch (error) {
    const fenced = await selfFenced(ctx, claimed.ticket);
    if (fenced) return fenced;
    await ctx.chain.release(claimed.ticket, 'failed', { reason: String(error) });
    return { kind: 'failed', error: String(error) };
  }
  // A person may have spoken while the agent worked: their word, not the agent's.
  const late = await personDecides(ctx, candidate, pull);
  if (late) {
    await ctx.chain.release(claimed.ticket, 'abandoned', { reason: `${late.login} reviewed meanwhile` });
    return late;
  }
  // Last look before anything leaves: the chain's CAS fence below catches a takeover that
  // happened, this catches one that may be happening (the owner silent past the deadline).
  const fenced = await selfFenced(ctx, claimed.ticket);
  if (fenced) return fenced;
  const posted = await postVerdict(ctx.chain, ctx.reviews, claimed.ticket, verdict);
  if (posted.kind !== 'posted') return { kind: posted.kind, reason: posted.reason };
  await settle(ctx, candidate, pull, verdict.verdict, posted.reviewId, posted.ticket.round, ctx.reviewer);
  return { kind: 'posted', verdict: verdict.verdict, reviewId: posted.reviewId, round: posted.ticket.round };
}

/** The round's owner went silent past the renew deadline: give the chain back, post nothing. */
async function selfFenced(
  ctx: ReviewRoundContext,
  ticket: ReviewTicket,
): Promise<(ReviewRoundResult & { kind: 'self-fenced' }) | null> {
  const reason = ctx.lease?.fenced() ?? null;
  if (reason === null) return null;
  // Refused when another reviewer took the chain over meanwhile: nothing of ours is left on it.
  await ctx.chain.release(ticket, 'abandoned', { reason });
  return { kind: 'self-fenced', reason };
}

/** A trusted person's approval or change request on this head, recorded as theirs. */
async function personDecides(
  ctx: ReviewRoundContext,
  candidate: ReviewCandidate,
  pull: ReviewedPull,
): Promise<(ReviewRoundResult & { kind: 'human' }) | null> {
  const human = humanVerdict(await ctx.reviews.list(candidate.pr), ctx.fleetLogins, pull.headSha);
  if (!human) return null;
  const tip = await ctx.chain.tip(candidate.pr);
  const round = (tip?.record?.round ?? 0) + (human.verdict === 'request-changes' ? 1 : 0);
  await settle(ctx, candidate, pull, human.verdict, human.reviewId, round, `human:${human.login}`);
  return { kind: 'human', verdict: human.verdict, login: human.login };
}

/** The issue chain records the verdict; an approval takes the pull request out of draft. */
async function settle(
  ctx: ReviewRoundContext,
  candidate: ReviewCandidate,
  pull: ReviewedPull,
  verdict: Extract<ReviewVerdict, 'approve' | 'request-changes'>,
  reviewId: number,
  round: number,
  by: string,
): Promise<void> {
  await ctx.ledger.recordReview(candidate.issue, {
    reviewer: ctx.reviewer,
    pr: candidate.pr,
    verdict,
    reviewId,
    round,
    maxRounds: ctx.maxRounds,
    ...(by === ctx.reviewer ? {} : { by }),
  });
  if (verdict === 'approve' && pull.draft) await ctx.reviews.markReady(pull.nodeId);
}
