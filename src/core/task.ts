/**
 * The task state machine shared by every board.
 *
 *   ready ──claim──▶ claimed ──complete──▶ done
 *     ▲                 │ ├──failed──▶ failed ──(backoff elapsed)──claim──▶ claimed
 *     └──abandoned──────┘ └──stale (owner dead or silent)──▶ failed
 *   failed/stale at the retry limit ──▶ poisoned ──reset──▶ ready
 *
 * "Ignored" is a flag beside the state, so lifting it restores what was there.
 */
export const TASK_STATES = ['ready', 'claimed', 'done', 'failed', 'poisoned'] as const;
export type TaskState = (typeof TASK_STATES)[number];

/** How an owner gives a claim back. */
export const RELEASE_OUTCOMES = ['complete', 'failed', 'abandoned'] as const;
export type ReleaseOutcome = (typeof RELEASE_OUTCOMES)[number];

/**
 * The error an attempt is abandoned with when its owner fenced itself (no heartbeat within the
 * renew deadline). One spelling, made and recognised here: the metrics count it, the GitHub
 * board notifies `fenced` when its own release record ends the epoch.
 */
export function selfFencedError(detail: string): string {
  return `self-fenced: ${detail}`;
}

export function isSelfFenced(error: unknown): boolean {
  return typeof error === 'string' && error.startsWith('self-fenced');
}

/** A running daemon process, as other processes on the same host can check it. */
export interface OwnerIdentity {
  id: string;
  host: string;
  pid: number;
  /** Start time of the pid (Linux clock ticks), to tell a reused pid from the original. */
  pidStart: number | null;
}

/** What a successful claim hands the owner: every later write quotes its owner and epoch. */
export interface ClaimTicket {
  taskId: string;
  ownerId: string;
  /** The fencing token: grows with every claim of the task, never reused. */
  epoch: number;
  /** 1-based attempt number within the current retry budget. */
  attempt: number;
  claimedAt: number;
}

/**
 * Why a board refuses to claim a task, shared by every board: the local store gives all of
 * them, the GitHub ledger the ones a chain's tip can say (held, done, poisoned, backoff).
 */
export type RefusalReason = 'unknown' | 'held' | 'done' | 'poisoned' | 'ignored' | 'backoff' | 'deps';

/** The refusals a ledger chain's tip can give: a chain knows no ignore flag, deps or unknown tasks. */
export type ChainRefusalReason = Extract<RefusalReason, 'held' | 'done' | 'poisoned' | 'backoff'>;
