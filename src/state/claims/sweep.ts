import type { OrphanedExecution, SweptClaim } from '../state-types.js';
import type { StoreContext } from '../store-context.js';
import { SELECT_TASK, type TaskRow } from '../tasks/task-rows.js';
import { executionRuns, ownerGone, staleCause } from './liveness.js';
import { decideExpiry } from './retry-policy.js';

/**
 * Expires every claim whose owner is stale: a dead pid on this host at once, any owner after
 * the stale threshold without a heartbeat. Each stale claim is marked once: it becomes a
 * failed attempt (or poisoned) and its owner's later writes are refused.
 */
export function sweepStale(ctx: StoreContext): SweptClaim[] {
  return ctx.transaction(() => {
    const now = ctx.now();
    const claimed = ctx.sql(`${SELECT_TASK} WHERE state = 'claimed'`).all() as TaskRow[];
    const swept: SweptClaim[] = [];
    for (const row of claimed) {
      const cause = staleCause(ctx, row, now);
      if (!cause) continue;
      swept.push({
        taskId: row.id,
        ownerId: row.owner_id!,
        epoch: row.epoch,
        cause,
        state: expire(ctx, row, cause, now),
        execPid: row.owner_host === ctx.host ? row.exec_pid : null,
        execPidStart: row.exec_pid_start,
      });
    }
    return swept;
  });
}

/**
 * Attempts of stale claims whose process group still runs on this host: orphans of a dead
 * (or silent) daemon. Until they are stopped their claims are not expired (see staleCause),
 * so nobody starts the task a second time meanwhile. The boards' refresh stops them.
 */
export function staleExecutions(ctx: StoreContext): OrphanedExecution[] {
  const now = ctx.now();
  const rows = ctx
    .sql(`${SELECT_TASK} WHERE state = 'claimed' AND owner_host = ? AND exec_pid IS NOT NULL`)
    .all(ctx.host) as TaskRow[];
  return rows
    .filter((row) => ownerGone(ctx, row, now) !== null && executionRuns(ctx, row))
    .map((row) => ({
      taskId: row.id,
      ownerId: row.owner_id!,
      pid: row.exec_pid!,
      pidStart: row.exec_pid_start,
    }));
}

/** Turns a stale claim into a failed attempt (or poison), inside the caller's transaction. */
export function expire(
  ctx: StoreContext,
  row: TaskRow,
  cause: SweptClaim['cause'],
  now: number,
): SweptClaim['state'] {
  // A lapsed hand claim is a person giving the task back by silence, not a failed attempt of
  // the fleet: it does not spend the retry budget.
  const decided =
    row.lease_ms !== null
      ? { state: 'ready' as const, retryCount: row.retry_count, nextAttemptAt: now }
      : decideExpiry(row.retry_count, now, ctx.policy);
  ctx
    .sql(
      `UPDATE tasks SET state = ?, retry_count = ?, next_attempt_at = ?, released_at = ?,
           last_outcome = 'stale', last_error = ?, updated_at = ? WHERE id = ? AND epoch = ?`,
    )
    .run(
      decided.state,
      decided.retryCount,
      decided.nextAttemptAt,
      now,
      `owner ${row.owner_id} stale: ${cause}`,
      now,
      row.id,
      row.epoch,
    );
  const base = { taskId: row.id, ownerId: row.owner_id, epoch: row.epoch };
  ctx.events.append({
    ...base,
    type: 'swept',
    data: { cause, retryCount: decided.retryCount, ...(row.lease_ms !== null ? { hand: true } : {}) },
  });
  if (decided.state === 'poisoned')
    ctx.events.append({ ...base, type: 'poisoned', data: { retryCount: decided.retryCount } });
  return decided.state;
}
