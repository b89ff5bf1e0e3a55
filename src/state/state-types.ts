import type { BackoffPolicy } from '../core/backoff.js';
import type { Clock } from '../core/clock.js';
import type { ClaimTicket, RefusalReason, TaskState } from '../core/task.js';
import type { Retention } from './event-log.js';

export interface StatePolicy {
  staleThresholdMs: number;
  maxRetries: number;
  backoff: BackoffPolicy;
  ownerStaleTtlMs: number;
}

export interface SharedStateOptions {
  clock: Clock;
  policy: StatePolicy;
  retention: Retention;
  /** This machine's host name: pids are only checked for owners on the same host. */
  host: string;
  isAlive?: (pid: number, pidStart: number | null) => boolean;
  /** Whether an attempt's process group (leader pid and its start) still has live members. */
  isGroupAlive?: (pgid: number, leaderStart: number | null) => boolean;
  random?: () => number;
}

export interface Refusal {
  reason: RefusalReason;
  detail: string;
  holder?: string;
  waitMs?: number;
  waitingOn?: string[];
}

export type ClaimResult =
  | { ok: true; ticket: ClaimTicket; tookOverFrom: string | null }
  | ({ ok: false } & Refusal);

/** Why a write quoting a claim was refused: a stable cause, and the story in words. */
export interface LostClaim {
  cause: 'unknown-task' | 'released' | 'taken-over' | 'wrong-epoch' | 'wrong-owner' | 'lease-expired';
  reason: string;
}

export type RenewResult = { ok: true; ignored: boolean } | ({ ok: false } & LostClaim);

export type ReleaseResult =
  | { ok: true; state: TaskState; retryCount: number; nextAttemptAt: number }
  | ({ ok: false } & LostClaim);

export interface SweptClaim {
  taskId: string;
  ownerId: string;
  epoch: number;
  cause: 'pid-dead' | 'heartbeat-expired' | 'lease-expired';
  state: TaskState;
  /** The attempt's process group leader on this host, if it recorded one: maybe an orphan. */
  execPid: number | null;
  execPidStart: number | null;
}

/** An attempt of a stale claim whose process group still runs on this host: an orphan to stop. */
export interface OrphanedExecution {
  taskId: string;
  ownerId: string;
  /** The group's leader (the attempt's watchdog), i.e. the group id. */
  pid: number;
  pidStart: number | null;
}

/**
 * What the claim's owner must quote on every later write: it proves the claim is still theirs.
 * The epoch grows with every claim of a task, so (task, owner, epoch) names one claim.
 */
export type ClaimProof = Pick<ClaimTicket, 'taskId' | 'ownerId' | 'epoch'>;
