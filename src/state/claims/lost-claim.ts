import type { ClaimProof, LostClaim } from '../state-types.js';
import type { TaskRow } from '../tasks/task-rows.js';

/** Whether `row` is still the claim `proof` names: claimed, by that owner, at that epoch. */
export function holds(row: TaskRow | undefined, proof: ClaimProof): row is TaskRow {
  return row?.state === 'claimed' && row.owner_id === proof.ownerId && row.epoch === proof.epoch;
}

/**
 * Why a renew or release quoting `proof` was refused, saying what actually happened: a
 * takeover only when a later claim exists, never for an epoch that simply does not match.
 */
export function lostClaim(row: TaskRow | undefined, proof: ClaimProof): LostClaim {
  if (!row) return { cause: 'unknown-task', reason: `there is no task ${proof.taskId}` };
  if (row.epoch === proof.epoch) {
    if (row.state !== 'claimed') {
      return { cause: 'released', reason: `already released (${row.last_outcome ?? row.state})` };
    }
    return {
      cause: 'wrong-owner',
      reason: `the claim at epoch ${row.epoch} belongs to ${row.owner_id}, not to ${proof.ownerId}`,
    };
  }
  // A later claim replaced ours only if the epoch moved past the one we were given.
  if (row.epoch > proof.epoch) {
    return {
      cause: 'taken-over',
      reason:
        row.state === 'claimed'
          ? `taken over by ${row.owner_id} at epoch ${row.epoch}`
          : `claimed again at epoch ${row.epoch} by ${row.owner_id}, now ${row.state}`,
    };
  }
  const current = row.state === 'claimed' ? `held by ${row.owner_id} at epoch ${row.epoch}` : row.state;
  return {
    cause: 'wrong-epoch',
    reason: `nobody took it over: the task is ${current}, and was never claimed at epoch ${proof.epoch}`,
  };
}
