/**
 * A review's verdict on the issue's own chain, against the GitHub fake over HTTP (REST
 * transport): approve marks the delivered release verified; requested changes send the issue
 * back to the queue on the same branch and pull request, the next attempt knowing the review;
 * the last allowed round poisons it for a human.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LedgerTicket, RefLedger } from '../../src/boards/github/ledger/index.js';
import type { FakeGitHub } from '../support/github-fake/index.js';
import { chain, makeLedger, startLedgerFake, ticketOf } from './ledger-support.js';

let fake: FakeGitHub;
let ledger: RefLedger;
const AUTHOR = 'ws1/codex';
const REVIEWER = 'ws2/review';
const MAX = { maxRetries: 3 };

beforeAll(async () => {
  fake = await startLedgerFake();
  ({ ledger } = makeLedger(fake));
  await ledger.init();
});
afterAll(() => fake.close());

/** The author's attempt on `issue`, delivered as pull request `pr` (branch carried by the fence). */
async function deliver(issue: number, pr: number): Promise<LedgerTicket> {
  await ledger.refresh();
  const ticket = ticketOf(await ledger.claim(issue, AUTHOR, MAX));
  const fenced = await ledger.fence(ticket, `codex/${issue}-change`);
  if (!fenced.ok) throw new Error(fenced.reason);
  const released = await ledger.release(fenced.ticket, 'complete', { pr });
  expect(released.ok).toBe(true);
  return fenced.ticket;
}

const review = (pr: number, verdict: 'approve' | 'request-changes', reviewId: number, round: number) => ({
  reviewer: REVIEWER,
  pr,
  verdict,
  reviewId,
  round,
  maxRounds: 2,
});

describe('a review verdict on the issue chain', () => {
  it('approve: the delivered release is verified by the reviewer, and stays done', async () => {
    await deliver(1, 50);
    const written = await ledger.recordReview(1, review(50, 'approve', 900, 0));
    expect(written).toMatchObject({ ok: true, changed: true });
    expect(chain(fake, 1)[0]).toMatchObject({
      kind: 'release',
      outcome: 'complete',
      verifiedBy: REVIEWER,
      review: 900,
      pr: 50,
      branch: 'codex/1-change',
    });
    // Idempotent: a second write of the same verdict changes nothing.
    expect(await ledger.recordReview(1, review(50, 'approve', 900, 0))).toMatchObject({ changed: false });
    await ledger.refresh();
    expect(await ledger.claim(1, 'ws3/codex', MAX)).toMatchObject({ ok: false, reason: 'done' });
  });

  it('request changes: back to the queue on the same branch and PR, the next attempt knows the review', async () => {
    const first = await deliver(2, 51);
    expect(await ledger.recordReview(2, review(51, 'request-changes', 901, 1))).toMatchObject({ ok: true });
    expect(chain(fake, 2)[0]).toMatchObject({
      kind: 'release',
      outcome: 'abandoned',
      review: 901,
      retries: 0,
    });
    await ledger.refresh();
    const next = ticketOf(await ledger.claim(2, AUTHOR, MAX));
    expect(next).toMatchObject({ review: 901, pr: 51, branch: 'codex/2-change', retries: first.retries });
    // The verdict is about a delivered release: while the issue is held again it is refused.
    expect(await ledger.recordReview(2, review(51, 'approve', 902, 1))).toMatchObject({
      ok: false,
      reason: 'held',
    });
  });

  it('the last allowed round of requested changes poisons the issue for a human', async () => {
    await deliver(3, 52);
    expect(await ledger.recordReview(3, review(52, 'request-changes', 903, 2))).toMatchObject({ ok: true });
    expect(chain(fake, 3)[0]).toMatchObject({ kind: 'poison', review: 903, pr: 52 });
    expect(String(chain(fake, 3)[0]!.reason)).toMatch(/2 review rounds.*a human decides/);
    await ledger.refresh();
    expect(await ledger.claim(3, AUTHOR, MAX)).toMatchObject({ ok: false, reason: 'poisoned' });
  });
});
