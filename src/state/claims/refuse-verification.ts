/**
 * A refused verification on the local board (`verify: <agent>`), as a change request on GitHub:
 * in one transaction the verification's claim is released (fenced like any release), the task it
 * verified goes back to the queue with the review recorded for its next attempt, and the
 * verification waits for that attempt (its dependency is no longer done). The last allowed round
 * (REVIEW_MAX_ROUNDS) poisons the verification instead: a human decides, nothing downstream runs.
 */
import type { ClaimProof, ReleaseResult } from '../state-types.js';
import { readRow, type StoreContext } from '../store-context.js';
import { release } from './release.js';

/** The kv namespace of the reviews, keyed by the verified task's id. */
export const VERIFY_REVIEWS = 'verify-reviews';

export interface Refusal {
  /** The task the verification verified (sent back). */
  verified: string;
  /** What the verifier said: given to the verified task's next attempt. */
  review: string;
  maxRounds: number;
}

/** The latest refusal of a verified task: its round (1-based) and the review. */
export interface VerifyReview {
  round: number;
  review: string;
  /** The verifying owner. */
  by: string;
}

export type RefusalResult = ReleaseResult & { round: number; sentBack: boolean };

export function readVerifyReview(ctx: StoreContext, verified: string): VerifyReview | null {
  const value = ctx
    .sql('SELECT value FROM kv WHERE namespace = ? AND key = ?')
    .pluck()
    .get(VERIFY_REVIEWS, verified) as string | undefined;
  if (value === undefined) return null;
  try {
    const parsed = JSON.parse(value) as Partial<VerifyReview>;
    if (!Number.isSafeInteger(parsed.round) || typeof parsed.review !== 'string') return null;
    return { round: parsed.round as number, review: parsed.review, by: String(parsed.by ?? '') };
  } catch {
    return null; // a damaged value counts as no review, never as a crash
  }
}

export function refuseVerification(ctx: StoreContext, proof: ClaimProof, r: Refusal): RefusalResult {
  return ctx.transaction(() => {
    const now = ctx.now();
    const round = (readVerifyReview(ctx, r.verified)?.round ?? 0) + 1;
    const sentBack = round < r.maxRounds;
    const retryCount = readRow(ctx, proof.taskId)?.retry_count ?? 0;
    // A refusal is a verdict, not a crash: no retry is counted either way.
    const released = release(ctx, proof, 'failed', {
      error: r.review,
      decided: { state: sentBack ? 'ready' : 'poisoned', retryCount, nextAttemptAt: now },
    });
    if (!released.ok) return { ...released, round: round - 1, sentBack: false };
    const review: VerifyReview = { round, review: r.review, by: proof.ownerId };
    ctx
      .sql(
        `INSERT INTO kv (namespace, key, value, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(namespace, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      )
      .run(VERIFY_REVIEWS, r.verified, JSON.stringify(review), now);
    if (sentBack) {
      const changed = ctx
        .sql(
          `UPDATE tasks SET state = 'ready', next_attempt_at = 0, updated_at = ? WHERE id = ? AND state = 'done'`,
        )
        .run(now, r.verified).changes;
      if (changed) {
        ctx.events.append({
          type: 'reset',
          taskId: r.verified,
          ownerId: proof.ownerId,
          data: { reason: `verification refused (round ${round} of ${r.maxRounds})` },
        });
      }
    }
    return { ...released, round, sentBack };
  });
}
