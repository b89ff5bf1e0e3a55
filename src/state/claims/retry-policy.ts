/**
 * The local board's retry and poison policy, in one place: what a task becomes after an
 * attempt ends. On GitHub the ledger decides instead and the store records its decision
 * (see `ReleaseDecision` in release.ts), so this runs only for the local board.
 */
import { type BackoffPolicy, backoffDelayMs } from '../../core/backoff.js';
import type { ReleaseOutcome, TaskState } from '../../core/task.js';

/** What a task becomes when a claim ends: its state, retry count and earliest next attempt. */
export interface ReleaseDecision {
  state: TaskState;
  retryCount: number;
  /** Wall-clock ms; `now` unless the task is failed and backing off. */
  nextAttemptAt: number;
}

export interface RetryPolicy {
  maxRetries: number;
  backoff: BackoffPolicy;
}

/**
 * After a release: complete → done; abandoned (graceful) → ready, not counted; failed →
 * counted, poisoned at the limit, else failed with an exponential, jittered backoff.
 */
export function decideRelease(
  outcome: ReleaseOutcome,
  retryCount: number,
  now: number,
  policy: RetryPolicy,
  random: () => number,
): ReleaseDecision {
  if (outcome === 'complete') return { state: 'done', retryCount, nextAttemptAt: now };
  if (outcome === 'abandoned') return { state: 'ready', retryCount, nextAttemptAt: now };
  const counted = retryCount + 1;
  if (counted >= policy.maxRetries) return { state: 'poisoned', retryCount: counted, nextAttemptAt: now };
  return {
    state: 'failed',
    retryCount: counted,
    nextAttemptAt: now + backoffDelayMs(counted, policy.backoff, random),
  };
}

/**
 * After a stale claim is expired: a failed attempt, poisoned at the limit, with no backoff
 * (the owner's silence already cost the stale threshold).
 */
export function decideExpiry(retryCount: number, now: number, policy: RetryPolicy): ReleaseDecision {
  const counted = retryCount + 1;
  return {
    state: counted >= policy.maxRetries ? 'poisoned' : 'failed',
    retryCount: counted,
    nextAttemptAt: now,
  };
}
