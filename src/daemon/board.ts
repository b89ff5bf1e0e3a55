import type { TaskPayload } from '../core/payload.js';
import type { ClaimTicket, ReleaseOutcome, TaskState } from '../core/task.js';
import type { HandClaims } from './hands.js';
import type { BoardSteering } from './steering.js';
import type { AttemptWorkspace, DeliveredWork, DeliveryResult, WorkRequest } from './workspace.js';

/** A task as the daemon sees it, whatever board it came from. */
export interface BoardTask {
  id: string;
  title: string;
  agent: string | null;
  payload: TaskPayload;
  /** Extra environment for the executor (e.g. the issue number, URL and body file on GitHub). */
  env?: Record<string, string>;
  /** Set when an attempt works in a workspace of its own that the board delivers (a branch, a PR). */
  work?: WorkRequest;
}

/**
 * A claim the daemon holds: the task and the ticket every later write must quote. The daemon
 * hands back to the board the very object `claimNext` returned, so a board may carry its own
 * proof on it (the GitHub board: the ledger ticket).
 */
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

/** What a release records besides its outcome. */
export interface ReleaseDetail {
  error?: string;
  /** The attempt's delivered work (branch, pull request), for a complete outcome. */
  delivered?: DeliveredWork;
}

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

/** What the last refresh learned about the next one. */
export interface RefreshPace {
  /**
   * The source changed: run the next cycle at once (what changed may make more work runnable,
   * and one change often comes with another a moment later: a label after the creation).
   */
  changed: boolean;
  /** The source asked for at least this long between polls (GitHub's `X-Poll-Interval`), or 0. */
  minIntervalMs: number;
}

/** What a claim is for. */
export interface ClaimOptions {
  /**
   * `any`: the best eligible task. `recovery`: only work a crashed or silent owner left behind,
   * for the daemon's recovery slot (see docs/architecture.md). A board without lost work of its
   * own (the local board sweeps it straight back into the queue) returns null for `recovery`.
   */
  purpose: 'any' | 'recovery';
  /** The daemon's root signal: a stopping daemon claims nothing more. */
  signal: AbortSignal;
}

/**
 * What the daemon needs of a board: the embedded SQLite board and GitHub implement it, and
 * tests/contract/board-contract.ts holds every board to the same semantics.
 * The board is the authority on claims; the daemon only schedules, runs and reports.
 * A board is opened for one owner and one agent capability (both fixed for its life), so no
 * method takes them.
 */
export interface Board {
  readonly name: string;
  /** Human steering (retry, ignore, unignore), as the CLI offers it. */
  readonly steering: BoardSteering;
  /** Hand claims for a person (`claim`, `hold`, `renew`, `release`, `next`, `mine`): see hands.ts. */
  handsFor(who: { id: string; host: string }): HandClaims;
  /** Registers this daemon's owner (refusing a live duplicate owner id). */
  register(): Promise<void>;
  unregister(): Promise<void>;
  /** Pulls what changed elsewhere and expires claims of stale owners. Returns swept task ids. */
  refresh(signal: AbortSignal): Promise<string[]>;
  /**
   * When the next refresh should run, as the last one learned it (boards that poll a remote
   * source). Without it the daemon sleeps its poll interval.
   */
  pace?(): RefreshPace;
  /**
   * Work besides claims and attempts, started after a refresh, never two at once (the GitHub
   * board: reviews of the fleet's pull requests). Its own fencing and liveness are the board's;
   * `signal` aborts it when the daemon stops, and the daemon waits for it before unregistering.
   */
  sideWork?(signal: AbortSignal): Promise<void>;
  /** Claims the best eligible task for this owner and agent, or returns null when there is none. */
  claimNext(options: ClaimOptions): Promise<ActiveClaim | null>;
  /** The attempt is starting (recorded for the audit log). */
  started(claim: ActiveClaim): Promise<void>;
  /** The attempt spawned a process group with this leader (so an orphan can be stopped). */
  spawned(claim: ActiveClaim, pid: number): void;
  /** Renews this owner's liveness (cost independent of the number of claims) and checks them. */
  heartbeat(claims: readonly ActiveClaim[]): Promise<HeartbeatReport>;
  /**
   * Gives a claim back with its outcome; refused (fenced) if it is no longer ours. `signal`
   * aborts only a forced stop: a graceful shutdown still releases (as abandoned).
   */
  release(
    claim: ActiveClaim,
    outcome: ReleaseOutcome,
    detail: ReleaseDetail,
    signal: AbortSignal,
  ): Promise<BoardRelease>;
  /**
   * Delivers a completed attempt's committed work (boards whose tasks carry `work`): proves the
   * claim is still ours before anything leaves the machine, then publishes it (GitHub: push,
   * pull request). The release that follows records what was delivered.
   */
  deliver?(
    claim: ActiveClaim,
    workspace: AttemptWorkspace,
    summary: string | null,
    signal: AbortSignal,
  ): Promise<DeliveryResult>;
  /** Work left for this agent: `--until-idle` stops when there is none. */
  pending(): Promise<PendingWork>;
  close(): Promise<void>;
}
