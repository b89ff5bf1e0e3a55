import type { Refusal, SweptClaim } from './state-types.js';
import type { TaskRow } from './task-rows.js';

export interface LivenessRules {
  /** This machine: pids are only judged for owners on the same host. */
  host: string;
  staleThresholdMs: number;
  isAlive: (pid: number, pidStart: number | null) => boolean;
}

/** Why a claim's owner counts as gone, or null while it is live. */
export function staleCause(row: TaskRow, now: number, rules: LivenessRules): SweptClaim['cause'] | null {
  if (row.owner_host === rules.host && row.owner_pid !== null) {
    if (!rules.isAlive(row.owner_pid, row.owner_pid_start)) return 'pid-dead';
  }
  // Wall clock: every process compared here runs on this host and shares its clock.
  if (now - (row.heartbeat_at ?? 0) >= rules.staleThresholdMs) return 'heartbeat-expired';
  return null;
}

/**
 * Why a task cannot be claimed now (null: it can). Mirrors the conditions of the claim
 * statement; `pendingDeps` is asked only when the state alone allows a claim.
 */
export function refusalFor(
  row: TaskRow,
  now: number,
  maxRetries: number,
  pendingDeps: () => string[],
): Refusal | null {
  if (row.ignored) return { reason: 'ignored', detail: `ignored: ${row.ignore_reason ?? 'no reason given'}` };
  switch (row.state) {
    case 'done':
      return { reason: 'done', detail: 'already completed' };
    case 'poisoned':
      return { reason: 'poisoned', detail: `poisoned after ${row.retry_count} failed attempts` };
    case 'claimed':
      return {
        reason: 'held',
        detail: `held by ${row.owner_id} (epoch ${row.epoch})`,
        holder: row.owner_id!,
      };
    case 'failed':
      if (row.retry_count >= maxRetries) {
        return { reason: 'poisoned', detail: `retry limit reached (${row.retry_count} failed attempts)` };
      }
      if (row.next_attempt_at > now) {
        const waitMs = row.next_attempt_at - now;
        return { reason: 'backoff', detail: `backing off for ${waitMs} ms`, waitMs };
      }
      break;
    case 'ready':
      break;
  }
  const waitingOn = pendingDeps();
  if (waitingOn.length > 0)
    return { reason: 'deps', detail: `waiting on ${waitingOn.join(', ')}`, waitingOn };
  return null;
}
