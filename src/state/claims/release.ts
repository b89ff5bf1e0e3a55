import type { ReleaseOutcome } from '../../core/task.js';
import type { ClaimProof, ReleaseResult } from '../state-types.js';
import { readRow, type StoreContext } from '../store-context.js';
import { holds, lostClaim } from './lost-claim.js';
import { decideRelease, type ReleaseDecision } from './retry-policy.js';

export type { ReleaseDecision };

export interface ReleaseDetail {
  error?: string;
  /**
   * What the task becomes, decided elsewhere (on GitHub: by the ledger, the authority),
   * recorded as given. Without it the local retry policy decides (retry-policy.ts).
   */
  decided?: ReleaseDecision;
  /**
   * The pull request the attempt delivered to: recorded in the event (`pr`, `prUrl`) for the
   * task page. A hand release (`release --pr N`) may know the number only.
   */
  pr?: { number: number; url?: string };
}

/**
 * Gives a claim back with its outcome. Checks owner and epoch; does not touch the heartbeat.
 * A refused release is recorded as `fenced`: the owner's result is discarded.
 */
export function release(
  ctx: StoreContext,
  proof: ClaimProof,
  outcome: ReleaseOutcome,
  detail: ReleaseDetail = {},
): ReleaseResult {
  return ctx.transaction(() => {
    const now = ctx.now();
    const row = readRow(ctx, proof.taskId);
    if (!holds(row, proof)) {
      const lost = lostClaim(row, proof);
      // The owner's result is discarded: say so in the audit log.
      ctx.events.append({
        type: 'fenced',
        taskId: proof.taskId,
        ownerId: proof.ownerId,
        data: { outcome, reason: lost.reason, cause: lost.cause },
      });
      return { ok: false, ...lost };
    }
    const decided = detail.decided ?? decideRelease(outcome, row.retry_count, now, ctx.policy, ctx.random);
    ctx
      .sql(
        `UPDATE tasks SET state = ?, retry_count = ?, next_attempt_at = ?, released_at = ?,
             last_outcome = ?, last_error = ?, updated_at = ? WHERE id = ?`,
      )
      .run(
        decided.state,
        decided.retryCount,
        decided.nextAttemptAt,
        now,
        outcome,
        detail.error ?? null,
        now,
        proof.taskId,
      );
    const base = { taskId: proof.taskId, ownerId: proof.ownerId, epoch: row.epoch };
    ctx.events.append({
      ...base,
      type: outcome === 'complete' ? 'completed' : outcome,
      data: {
        attempt: row.attempt,
        retryCount: decided.retryCount,
        ...(detail.error ? { error: detail.error } : {}),
        ...(detail.pr ? { pr: detail.pr.number, ...(detail.pr.url ? { prUrl: detail.pr.url } : {}) } : {}),
      },
    });
    if (decided.state === 'poisoned')
      ctx.events.append({ ...base, type: 'poisoned', data: { retryCount: decided.retryCount } });
    return { ok: true, ...decided };
  });
}
