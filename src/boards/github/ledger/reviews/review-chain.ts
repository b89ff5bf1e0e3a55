/**
 * The review chain of a pull request: claim, fence and release by compare-and-swap through the
 * ledger's transport (the same create-if-absent / CAS as task chains, epochs parent + 1). A
 * reviewer fences before it posts its review on GitHub, and releases with the verdict after; a
 * refused fence means it must not post, a refused release after posting means it must dismiss
 * what it posted (review-post.ts).
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../../core/clock.js';
import type { LedgerRefs } from '../records/ledger-refs.js';
import type { LedgerTransport } from '../transport.js';
import { decideReview, type ReviewClaimFacts, type ReviewRefusal } from './review-policy.js';
import {
  encodeReviewMessage,
  parseReviewRecord,
  type ReviewRecord,
  type ReviewVerdict,
} from './review-record.js';

/** What every later write of the holder quotes: its latest commit on the chain (`sha`). */
export type ReviewTicket = Pick<
  ReviewRecord,
  'pr' | 'issue' | 'owner' | 'author' | 'attempt' | 'epoch' | 'round' | 'headSha'
> & { sha: string };

export type ReviewClaimResult =
  | { ok: true; ticket: ReviewTicket; tookOverFrom: string | null }
  | { ok: false; reason: ReviewRefusal | 'lost-race'; detail: string };

export type ReviewWriteResult =
  | { ok: true; ticket: ReviewTicket }
  | { ok: false; fenced: true; reason: string };

export interface ReviewChainOptions {
  transport: LedgerTransport;
  refs: LedgerRefs;
  clock: Clock;
}

export class ReviewChain {
  constructor(private readonly opts: ReviewChainOptions) {}

  /** The chain's tip: undefined when there is none, record null when it is not a review record. */
  async tip(pr: number): Promise<{ sha: string; record: ReviewRecord | null } | undefined> {
    const sha = await this.opts.transport.tip(this.opts.refs.review(pr));
    if (sha === null) return undefined;
    return { sha, record: parseReviewRecord((await this.opts.transport.commit(sha)).message, pr) };
  }

  async claim(target: { pr: number; issue: number }, facts: ReviewClaimFacts): Promise<ReviewClaimResult> {
    const tip = await this.tip(target.pr);
    const d = decideReview(tip?.record, facts);
    if (d.action === 'refuse') return { ok: false, reason: d.reason, detail: d.detail };
    const fields = {
      kind: 'review-claim' as const,
      ...target,
      owner: facts.reviewer,
      author: facts.author,
      attempt: randomUUID(),
      round: d.round,
      headSha: facts.headSha,
      ...(d.tookOverFrom ? { reason: `took over from ${d.tookOverFrom}` } : {}),
    };
    const put = await this.append(fields, tip ? { sha: tip.sha, epoch: tip.record?.epoch ?? 0 } : null);
    if (!put) return { ok: false, reason: 'lost-race', detail: 'another reviewer moved the chain first' };
    return { ok: true, ticket: put, tookOverFrom: d.tookOverFrom };
  }

  /** The holder's proof, right before it posts: a second claim of its attempt, by CAS on its commit. */
  async fence(ticket: ReviewTicket): Promise<ReviewWriteResult> {
    const put = await this.append(
      { ...this.fieldsOf(ticket), kind: 'review-claim', phase: 'deliver' },
      ticket,
    );
    return put ? { ok: true, ticket: put } : this.fenced(ticket);
  }

  /** The end of the round, by CAS on the holder's commit; `request-changes` counts a round. */
  async release(
    ticket: ReviewTicket,
    verdict: ReviewVerdict,
    detail: { reviewId?: number; by?: string; reason?: string } = {},
  ): Promise<ReviewWriteResult> {
    const round = ticket.round + (verdict === 'request-changes' ? 1 : 0);
    const put = await this.append(
      { ...this.fieldsOf(ticket), kind: 'review-release', verdict, round, ...detail },
      ticket,
    );
    return put ? { ok: true, ticket: put } : this.fenced(ticket);
  }

  private fieldsOf(t: ReviewTicket) {
    const { pr, issue, owner, author, attempt, round, headSha } = t;
    return { pr, issue, owner, author, attempt, round, headSha };
  }

  private fenced(ticket: ReviewTicket): ReviewWriteResult {
    return {
      ok: false,
      fenced: true,
      reason: `the review chain of #${ticket.pr} moved past epoch ${ticket.epoch}`,
    };
  }

  /** Appends on `base` (null: creates the chain); null when another writer moved it first. */
  private async append(
    fields: Omit<ReviewRecord, 'v' | 'epoch' | 'at'>,
    base: { sha: string; epoch: number } | null,
  ): Promise<ReviewTicket | null> {
    const { transport, refs, clock } = this.opts;
    const epoch = (base?.epoch ?? 0) + 1;
    const record: ReviewRecord = { v: 1, ...fields, epoch, at: new Date(clock.now()).toISOString() };
    const sha = await transport.createCommit(encodeReviewMessage(record), base ? [base.sha] : []);
    // A lost answer is settled by looking one step down the chain: did someone build on ours?
    const landed = async (tip: string) => tip === sha || (await transport.commit(tip)).parents.includes(sha);
    const result = await transport.advance(refs.review(fields.pr), sha, base?.sha ?? null, landed);
    if (result !== 'applied') return null;
    const { pr, issue, owner, author, attempt, round, headSha } = record;
    return { pr, issue, owner, author, attempt, round, headSha, epoch, sha };
  }
}
