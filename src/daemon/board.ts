import type { TaskPayload } from '../core/payload.js';
import type { ClaimTicket, OwnerIdentity, ReleaseOutcome, TaskState } from '../core/task.js';

/** A task as the daemon sees it, whatever board it came from. */
export interface BoardTask {
  id: string;
  title: string;
  agent: string | null;
  payload: TaskPayload;
  /** Extra environment for the executor (e.g. the issue number, URL and body file on GitHub). */
  env?: Record<string, string>;
}

/** A claim the daemon holds: the task and the ticket every later write must quote. */
export interface ActiveClaim {
  task: BoardTask;
  ticket: ClaimTicket;
  tookOverFrom: string | null;
}

export interface HeartbeatReport {
  /** Claims that are no longer ours (taken over, swept): stop them, discard their results. */
  lost: { taskId: string; reason: string }[];
  /** Claims a human asked to stop (ignore flag): stop them and release. */
  ignored: { taskId: string; reason: string }[];
}

export type BoardRelease =
  | { ok: true; state: TaskState; retryCount: number; nextAttemptAt: number }
  | { ok: false; reason: string };

/** Work left that this daemon could still do, for `--until-idle` and for sleeping well. */
export interface PendingWork {
  /** Tasks that may be claimed now. */
  runnable: number;
  /** Tasks claimed by live owners (perhaps other daemons) that may unblock more work. */
  held: number;
  /** Tasks waiting for a backoff or a dependency that can still complete. */
  waiting: number;
  /** When the earliest backoff ends (wall-clock ms), if any task is backing off. */
  nextWakeAt: number | null;
}

/**
 * What the daemon needs of a board: the embedded SQLite board and GitHub implement it.
 * The board is the authority on claims; the daemon only schedules, runs and reports.
 */
export interface Board {
  readonly name: string;
  /** Registers this daemon (refusing a live duplicate owner id). */
  register(owner: OwnerIdentity): Promise<void>;
  unregister(owner: OwnerIdentity): Promise<void>;
  /** Pulls what changed elsewhere and expires claims of stale owners. Returns swept task ids. */
  refresh(signal: AbortSignal): Promise<string[]>;
  /**
   * Claims the best eligible task for this owner, or returns null when there is none. With
   * `lostWorkOnly`, only work a silent or crashed owner left behind (for the recovery slot).
   */
  claimNext(
    owner: OwnerIdentity,
    agent: string | null,
    options?: { lostWorkOnly?: boolean },
  ): Promise<ActiveClaim | null>;
  /** The attempt is starting (recorded for the audit log). */
  started(claim: ActiveClaim): Promise<void>;
  /** The attempt spawned a process group with this leader (so an orphan can be stopped). */
  spawned(claim: ActiveClaim, pid: number): void;
  /** Renews this owner's liveness (cost independent of the number of claims) and checks them. */
  heartbeat(owner: OwnerIdentity, claims: readonly ActiveClaim[]): Promise<HeartbeatReport>;
  /** Gives a claim back with its outcome; refused (fenced) if it is no longer ours. */
  release(claim: ActiveClaim, outcome: ReleaseOutcome, detail: { error?: string }): Promise<BoardRelease>;
  pending(agent: string | null): Promise<PendingWork>;
  close(): Promise<void>;
}
