/**
 * Review rounds end to end in one process against the GitHub fake over HTTP (a real bare git
 * repository behind the pull requests, the ledger's REST transport): the author's delivery is
 * found as review work, a scripted reviewer agent decides, and the issue chain, the pull request
 * and its reviews show the outcome. The daemon loop around it is not wired yet (HANDOFF.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RefLedger, reviewCandidates } from '../../src/boards/github/ledger/index.js';
import { ReviewLease } from '../../src/boards/github/review-lease.js';
import {
  type ReviewAgent,
  type ReviewRoundContext,
  runReviewRound,
} from '../../src/boards/github/review-round.js';
import { type FakeWithGit, openPull, REVIEW_TOKENS, startFakeWithGit } from '../github-fake/pull-setup.js';
import { pushBranch } from '../support/github-fake/index.js';
import { chain, makeLedger, ticketOf } from './ledger-support.js';
import { reviewerSide } from './review-support.js';

const AUTHOR = 'ws1/codex';
const REVIEWER = 'ws2/review';
const MAX = { maxRetries: 3 };

let ctx: FakeWithGit;
let ledger: RefLedger;
let round: ReviewRoundContext;

/** A scripted reviewer agent; `calls` counts its runs. */
function agent(verdict: 'approve' | 'request-changes', body = 'scripted review') {
  const run: ReviewAgent & { calls: number } = Object.assign(
    async () => {
      run.calls++;
      return { verdict, body };
    },
    { calls: 0 },
  );
  return run;
}

/** The author's attempt on `issue`: a pushed branch, its draft pull request, a complete release. */
async function deliver(issue: number, pr?: { number: number; head: { ref: string } }) {
  const opened = pr ?? (await openPull(ctx, `codex/${issue}-change`, { draft: true }));
  await ledger.refresh();
  const ticket = ticketOf(await ledger.claim(issue, AUTHOR, MAX));
  const fenced = await ledger.fence(ticket, opened.head.ref);
  if (!fenced.ok) throw new Error(fenced.reason);
  expect((await ledger.release(fenced.ticket, 'complete', { pr: opened.number })).ok).toBe(true);
  await ledger.refresh();
  return { pr: opened, ticket };
}

const candidateOf = (issue: number, reviewer = REVIEWER) =>
  reviewCandidates(ledger.lastView()!, reviewer).find((c) => c.issue === issue);

beforeAll(async () => {
  ctx = await startFakeWithGit({ tokens: REVIEW_TOKENS });
  ({ ledger } = makeLedger(ctx.fake));
  await ledger.init();
  const side = await reviewerSide(ctx.fake);
  const { client } = side;
  round = {
    chain: side.chain,
    ledger,
    reviews: side.reviews,
    pull: async (n) => {
      const { data } = await client.rest.pulls.get({ owner: 'acme', repo: 'widgets', pull_number: n });
      return {
        open: data.state === 'open',
        draft: data.draft === true,
        headSha: data.head.sha,
        nodeId: data.node_id,
      };
    },
    reviewer: REVIEWER,
    fleetLogins: new Set(['test-user', 'reviewer-bot']),
    maxRounds: 2,
    isOwnerStale: () => false,
  };
});
afterAll(() => ctx.stop());

/**
 * A lease on a heartbeat the test drives (RefLedger.sinceLastHeartbeatMs): beating until
 * `stop()` — however long the round takes to reach its agent on a loaded machine — then silent
 * until `land()`.
 */
function beatenLease() {
  let beating = true;
  const lease = new ReviewLease(
    { sinceLastBeatMs: () => (beating ? 0 : Number.POSITIVE_INFINITY), renewDeadlineMs: 200 },
    new AbortController().signal,
  );
  const beats = {
    stop: () => {
      beating = false;
    },
    land: () => {
      beating = true;
    },
  };
  /** Resolves once the lease has fenced the round (at once if it already has). */
  const fenced = () =>
    new Promise((resolve) => {
      if (lease.signal.aborted) resolve(undefined);
      else lease.signal.addEventListener('abort', resolve, { once: true });
    });
  return { lease, beats, fenced };
}

const pullOf = (n: number) => ctx.fake.state.pulls('acme/widgets').find((p) => p.number === n)!;

describe('a review round (in process, against the fake)', () => {
  it('approve: the reviewer approves, the issue is verified, the pull request leaves draft', async () => {
    const { pr } = await deliver(101);
    const reviewer = agent('approve');
    const result = await runReviewRound(round, candidateOf(101)!, reviewer);
    expect(result).toMatchObject({ kind: 'posted', verdict: 'approve', round: 0 });
    expect(chain(ctx.fake, 101)[0]).toMatchObject({
      outcome: 'complete',
      verifiedBy: REVIEWER,
      pr: pr.number,
    });
    expect(pullOf(pr.number).pullRequest?.draft).toBe(false);
    expect((await round.reviews.list(pr.number)).map((r) => [r.login, r.state])).toEqual([
      ['reviewer-bot', 'APPROVED'],
    ]);
    await ledger.refresh();
    expect(candidateOf(101)).toBeUndefined();
  });

  it("the author's own owner never reviews its pull request", async () => {
    const { pr } = await deliver(102);
    expect(candidateOf(102, AUTHOR)).toBeUndefined();
    const own = agent('approve');
    const result = await runReviewRound({ ...round, reviewer: AUTHOR }, candidateOf(102)!, own);
    expect(result).toMatchObject({ kind: 'skipped', reason: expect.stringMatching(/^own-pr/) });
    expect(own.calls).toBe(0);
    expect(await round.reviews.list(pr.number)).toEqual([]);
  });

  it('request changes: the issue goes back with the review, the same PR is updated, the last round stops it', async () => {
    const { pr } = await deliver(103);
    const first = await runReviewRound(round, candidateOf(103)!, agent('request-changes', 'rename x'));
    expect(first).toMatchObject({ kind: 'posted', verdict: 'request-changes', round: 1 });
    const reviewId = (first as { reviewId: number }).reviewId;
    expect(chain(ctx.fake, 103)[0]).toMatchObject({ outcome: 'abandoned', review: reviewId });
    // The author's next attempt knows the review, works on the same branch and pull request.
    await ledger.refresh();
    const next = ticketOf(await ledger.claim(103, AUTHOR, MAX));
    expect(next).toMatchObject({ review: reviewId, pr: pr.number, branch: pr.head.ref });
    pushBranch(ctx.remote, pr.head.ref, { 'x.txt': 'renamed\n' }, { from: pr.head.ref });
    const fenced = await ledger.fence(next, pr.head.ref);
    if (!fenced.ok) throw new Error(fenced.reason);
    await ledger.release(fenced.ticket, 'complete', { pr: pr.number });
    await ledger.refresh();
    const second = await runReviewRound(round, candidateOf(103)!, agent('request-changes', 'still not'));
    expect(second).toMatchObject({ kind: 'posted', round: 2 });
    expect(chain(ctx.fake, 103)[0]).toMatchObject({ kind: 'poison' });
    expect(
      ctx.fake.state.pulls('acme/widgets').filter((p) => p.pullRequest?.head === pr.head.ref),
    ).toHaveLength(1);
  });

  it("a person's review of the head wins: the agent does not run", async () => {
    const { pr } = await deliver(104);
    const reply = await fetch(`${ctx.fake.url}/repos/acme/widgets/pulls/${pr.number}/reviews`, {
      method: 'POST',
      headers: { authorization: 'token human', 'content-type': 'application/json' },
      body: JSON.stringify({ event: 'APPROVE' }),
    });
    expect(reply.status).toBe(200);
    const reviewer = agent('request-changes');
    const result = await runReviewRound(round, candidateOf(104)!, reviewer);
    expect(result).toEqual({ kind: 'human', verdict: 'approve', login: 'alice' });
    expect(reviewer.calls).toBe(0);
    expect(chain(ctx.fake, 104)[0]).toMatchObject({ outcome: 'complete', verifiedBy: 'human:alice' });
    expect(pullOf(pr.number).pullRequest?.draft).toBe(false);
  });

  it('self-fence: a reviewer whose heartbeat lapses past the renew deadline stops its agent and posts nothing', async () => {
    const { pr } = await deliver(105);
    const { lease, beats, fenced } = beatenLease();
    let aborted = false;
    const stuck = async (): Promise<never> => {
      beats.stop(); // the board unreachable, the process paused
      await fenced();
      aborted = true;
      throw lease.signal.reason;
    };
    const result = await runReviewRound({ ...round, lease }, candidateOf(105)!, stuck);
    lease.close();
    expect(result).toMatchObject({ kind: 'self-fenced', reason: expect.stringMatching(/^self-fenced: /) });
    expect(aborted).toBe(true);
    expect(await round.reviews.list(pr.number)).toEqual([]);
    // The chain is given back (abandoned), so another reviewer need not wait for a threshold.
    const tip = await round.chain.tip(pr.number);
    expect(tip?.record).toMatchObject({ kind: 'review-release', verdict: 'abandoned', owner: REVIEWER });
    expect(chain(ctx.fake, 105)[0]).toMatchObject({ outcome: 'complete' });
    expect(chain(ctx.fake, 105)[0]).not.toHaveProperty('verifiedBy');
  });

  it('self-fence is sticky: a beat landing after the pause does not let a verdict through', async () => {
    const { pr } = await deliver(106);
    const { lease, beats, fenced } = beatenLease();
    // The agent ignores its signal (a paused process does not hear it) and answers after the
    // deadline; by then a beat has landed again, as on a SIGCONT.
    const late = async () => {
      beats.stop();
      await fenced();
      beats.land();
      return { verdict: 'approve' as const, body: 'looks fine' };
    };
    const result = await runReviewRound({ ...round, lease }, candidateOf(106)!, late);
    lease.close();
    expect(result).toMatchObject({ kind: 'self-fenced' });
    expect(await round.reviews.list(pr.number)).toEqual([]);
  });
});
