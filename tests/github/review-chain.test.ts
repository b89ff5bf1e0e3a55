/**
 * The review chain of a pull request against the GitHub fake over real HTTP: the ledger's REST
 * transport for the chain, GitHub's reviews and GraphQL un-draft for what the reviewer posts.
 * Proves who may review, one reviewer at a time, the approve path, the rounds of requested
 * changes, a paused (taken over) reviewer posting nothing or dismissing what it posted, and a
 * person's review winning over an agent's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  postVerdict,
  type ReviewChain,
  type ReviewClaimFacts,
  type ReviewPoster,
  type ReviewTicket,
} from '../../src/boards/github/ledger/index.js';
import { humanVerdict, type PullReviews } from '../../src/boards/github/pulls/index.js';
import { type FakeWithGit, openPull, REVIEW_TOKENS, startFakeWithGit } from '../github-fake/pull-setup.js';
import { pushBranch } from '../support/github-fake/index.js';
import { reviewerSide } from './review-support.js';

let ctx: FakeWithGit;
let chain: ReviewChain;
/** What the reviewer daemon's token (reviewer-bot) posts. */
let reviews: PullReviews;

const AUTHOR = 'ws1/codex';
const REVIEWER = 'ws2/review';
const OTHER = 'ws3/review';

const stale = new Set<string>();
const facts = (over: Partial<ReviewClaimFacts> & { headSha: string }): ReviewClaimFacts => ({
  reviewer: REVIEWER,
  author: AUTHOR,
  maxRounds: 2,
  isOwnerStale: (owner) => stale.has(owner),
  ...over,
});

const won = (result: Awaited<ReturnType<ReviewChain['claim']>>): ReviewTicket => {
  if (!result.ok) throw new Error(`expected a won review claim, got ${result.reason}: ${result.detail}`);
  return result.ticket;
};

let branchCount = 0;
/** A pull request opened by test-user (the author daemon's token), as draft. */
const newPull = async () => openPull(ctx, `codex/review-${++branchCount}`, { draft: true });

beforeAll(async () => {
  ctx = await startFakeWithGit({ tokens: REVIEW_TOKENS });
  ({ chain, reviews } = await reviewerSide(ctx.fake));
});
afterAll(() => ctx.stop());

describe('the review chain of a pull request', () => {
  it("never lets the author's own owner review its pull request", async () => {
    const pr = await newPull();
    const own = await chain.claim(
      { pr: pr.number, issue: 1 },
      facts({ reviewer: AUTHOR, headSha: pr.head.sha }),
    );
    expect(own).toMatchObject({ ok: false, reason: 'own-pr' });
    expect(await chain.tip(pr.number)).toBeUndefined();
  });

  it('lets exactly one of two reviewers claiming at once hold it', async () => {
    const pr = await newPull();
    const target = { pr: pr.number, issue: 1 };
    const results = await Promise.all([
      chain.claim(target, facts({ headSha: pr.head.sha })),
      chain.claim(target, facts({ reviewer: OTHER, headSha: pr.head.sha })),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.find((r) => !r.ok)).toMatchObject({ reason: expect.stringMatching(/lost-race|held/) });
  });

  it('approve: the review is posted on the reviewed head, the chain says verified, the PR leaves draft', async () => {
    const pr = await newPull();
    const ticket = won(await chain.claim({ pr: pr.number, issue: 1 }, facts({ headSha: pr.head.sha })));
    const outcome = await postVerdict(chain, poster(), ticket, { verdict: 'approve', body: 'Looks right.' });
    expect(outcome.kind).toBe('posted');
    const listed = await reviews.list(pr.number);
    expect(listed).toEqual([
      expect.objectContaining({ state: 'APPROVED', login: 'reviewer-bot', commitId: pr.head.sha }),
    ]);
    const tip = await chain.tip(pr.number);
    expect(tip?.record).toMatchObject({ kind: 'review-release', verdict: 'approve', epoch: 3, by: REVIEWER });
    // Nobody reviews a verified pull request again.
    const again = await chain.claim(
      { pr: pr.number, issue: 1 },
      facts({ reviewer: OTHER, headSha: pr.head.sha }),
    );
    expect(again).toMatchObject({ ok: false, reason: 'verified' });
    expect(await reviews.markReady(pr.node_id)).toBe(true);
    expect(ctx.fake.state.pulls('acme/widgets').find((p) => p.number === pr.number)?.pullRequest?.draft).toBe(
      false,
    );
  });

  it('request changes: waits for the author to push, then counts rounds up to REVIEW_MAX_ROUNDS', async () => {
    const pr = await newPull();
    const target = { pr: pr.number, issue: 1 };
    let head = pr.head.sha as string;
    for (let round = 0; round < 2; round++) {
      const ticket = won(await chain.claim(target, facts({ headSha: head })));
      expect(ticket.round).toBe(round);
      const outcome = await postVerdict(chain, poster(), ticket, {
        verdict: 'request-changes',
        body: `fix ${round}`,
      });
      expect(outcome.kind).toBe('posted');
      // Same head: the author has not answered yet (after the last round, a human decides).
      const early = await chain.claim(target, facts({ headSha: head }));
      expect(early).toMatchObject({ ok: false, reason: round === 0 ? 'awaiting-author' : 'max-rounds' });
      head = pushBranch(ctx.remote, pr.head.ref, { [`round-${round}.txt`]: 'fixed\n' });
    }
    // Two rounds of requested changes: even a new head is for a human now.
    expect(await chain.claim(target, facts({ headSha: head }))).toMatchObject({
      ok: false,
      reason: 'max-rounds',
    });
    expect((await chain.tip(pr.number))?.record).toMatchObject({ verdict: 'request-changes', round: 2 });
    expect((await reviews.list(pr.number)).map((r) => r.state)).toEqual([
      'CHANGES_REQUESTED',
      'CHANGES_REQUESTED',
    ]);
  });

  it('a reviewer taken over while paused posts nothing', async () => {
    const pr = await newPull();
    const target = { pr: pr.number, issue: 1 };
    const paused = won(await chain.claim(target, facts({ headSha: pr.head.sha })));
    stale.add(REVIEWER);
    try {
      const taker = await chain.claim(target, facts({ reviewer: OTHER, headSha: pr.head.sha }));
      expect(taker).toMatchObject({ ok: true, tookOverFrom: REVIEWER });
    } finally {
      stale.delete(REVIEWER);
    }
    const outcome = await postVerdict(chain, poster(), paused, { verdict: 'approve', body: 'late' });
    expect(outcome.kind).toBe('not-posted');
    expect(await reviews.list(pr.number)).toEqual([]);
  });

  it('a reviewer taken over after posting dismisses its own review', async () => {
    const pr = await newPull();
    const target = { pr: pr.number, issue: 1 };
    const ticket = won(await chain.claim(target, facts({ headSha: pr.head.sha })));
    // The takeover lands between the reviewer's fence and its release: while it posts.
    const outcome = await postVerdict(
      chain,
      poster(async () => {
        const fence = await chain.tip(pr.number);
        expect(fence?.record).toMatchObject({ phase: 'deliver', owner: REVIEWER });
        stale.add(REVIEWER);
        try {
          won(await chain.claim(target, facts({ reviewer: OTHER, headSha: pr.head.sha })));
        } finally {
          stale.delete(REVIEWER);
        }
      }),
      ticket,
      { verdict: 'approve', body: 'ok' },
    );
    expect(outcome.kind).toBe('dismissed');
    const listed = await reviews.list(pr.number);
    expect(listed.map((r) => r.state)).toEqual(['DISMISSED']);
  });

  it("a person's review wins over the agent's; a fleet login or an untrusted author does not count", async () => {
    const pr = await newPull();
    const ticket = won(await chain.claim({ pr: pr.number, issue: 1 }, facts({ headSha: pr.head.sha })));
    await postVerdict(chain, poster(), ticket, { verdict: 'approve', body: 'agent approves' });
    const api = (token: string, body: unknown) =>
      fetch(`${ctx.fake.url}/repos/acme/widgets/pulls/${pr.number}/reviews`, {
        method: 'POST',
        headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await api('human', { event: 'REQUEST_CHANGES', body: 'not like this' })).status).toBe(200);
    const fleet = new Set(['reviewer-bot', 'test-user']);
    const verdict = humanVerdict(await reviews.list(pr.number), fleet);
    expect(verdict).toMatchObject({ verdict: 'request-changes', login: 'alice', body: 'not like this' });
    // Without the person's review, nothing human decides: the agent's approval is the fleet's own.
    expect(
      humanVerdict(
        (await reviews.list(pr.number)).filter((r) => r.login !== 'alice'),
        fleet,
      ),
    ).toBeNull();
  });
});

/** The reviewer's poster: GitHub's reviews through PullReviews; `beforeCreate` runs first. */
function poster(beforeCreate?: () => Promise<void>): ReviewPoster {
  return {
    create: async (pr, review) => {
      await beforeCreate?.();
      return reviews.create(pr, review);
    },
    dismiss: (pr, id, message) => reviews.dismiss(pr, id, message),
  };
}
