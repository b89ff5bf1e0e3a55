import type { SweptClaim } from '../state-types.js';
import type { StoreContext } from '../store-context.js';
import type { TaskRow } from '../tasks/task-rows.js';

/** Why a claim's owner counts as gone, or null while it is live. */
export function ownerGone(ctx: StoreContext, row: TaskRow, now: number): SweptClaim['cause'] | null {
  if (row.owner_host === ctx.host && row.owner_pid !== null) {
    if (!ctx.isAlive(row.owner_pid, row.owner_pid_start)) return 'pid-dead';
  }
  // Wall clock: every process compared here runs on this host and shares its clock.
  if (now - (row.heartbeat_at ?? 0) >= ctx.policy.staleThresholdMs) return 'heartbeat-expired';
  // A hand claim's lease: its deadline was set on this host's clock too (claim, renew).
  if (row.lease_until !== null && now >= row.lease_until) return 'lease-expired';
  return null;
}

/**
 * Why a claim may be expired, or null while it may not: its owner is live — or its owner is
 * gone but the attempt it started still runs here (an orphan is stopped first, by
 * `staleExecutions` and the reaper, never run beside a second execution).
 */
export function staleCause(ctx: StoreContext, row: TaskRow, now: number): SweptClaim['cause'] | null {
  const cause = ownerGone(ctx, row, now);
  return cause !== null && executionRuns(ctx, row) ? null : cause;
}

/** Whether the claim's attempt recorded a process group on this host that still has members. */
export function executionRuns(ctx: StoreContext, row: TaskRow): boolean {
  return (
    row.owner_host === ctx.host && row.exec_pid !== null && ctx.isGroupAlive(row.exec_pid, row.exec_pid_start)
  );
}
