import type { ClaimProof, LostClaim, Refusal, SweptClaim } from './state-types.js';
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

/**
 * Why a renew or release quoting `proof` was refused, saying what actually happened: a
 * takeover only when a later claim exists, never for a token that simply does not match.
 */
export function lostClaim(row: TaskRow | undefined, proof: ClaimProof): LostClaim {
  if (!row) return { cause: 'unknown-task', reason: `there is no task ${proof.taskId}` };
  if (row.token === proof.token) {
    if (row.state !== 'claimed') {
      return { cause: 'released', reason: `already released (${row.last_outcome ?? row.state})` };
    }
    return {
      cause: 'wrong-owner',
      reason: `the claim at epoch ${row.epoch} belongs to ${row.owner_id}, not to ${proof.ownerId}`,
    };
  }
  // A later claim replaced ours only if the epoch moved past the one we were given.
  if (proof.epoch !== undefined && row.epoch > proof.epoch) {
    return {
      cause: 'taken-over',
      reason:
        row.state === 'claimed'
          ? `taken over by ${row.owner_id} at epoch ${row.epoch}`
          : `claimed again at epoch ${row.epoch} by ${row.owner_id}, now ${row.state}`,
    };
  }
  const current = row.state === 'claimed' ? `held by ${row.owner_id} at epoch ${row.epoch}` : row.state;
  if (proof.epoch === undefined) {
    return { cause: 'wrong-token', reason: `the token given is not the current claim's (${current})` };
  }
  return {
    cause: 'wrong-token',
    reason: `nobody took it over: the task is ${current}, and the token given is not the token of the claim at epoch ${proof.epoch}`,
  };
}
