/**
 * Hand claims: what a person driving an agent by hand (an interactive Claude Code or Codex
 * session) says to a board — claim a task out of the fleet's hands, keep it (`hold` heartbeats,
 * `renew` restarts the lease), give it back with an outcome, pick the next task, list their own.
 * Every board implements it with its own claim protocol (the local store; on GitHub the ledger),
 * so a hand claim has the guarantees of a daemon's: one winner, epochs, fencing, takeover.
 *
 * The owner (a person's id, e.g. `ws3/alice`) is bound when the board's HandClaims is opened.
 * Refusals throw ClaimRefusedError; writes on a claim no longer held throw ClaimLostError; an
 * unknown task throws InputError.
 */
import type { ReleaseOutcome } from '../core/task.js';

/** A claim a person holds, as the board records it. */
export interface HandClaim {
  /** The board's id of the task (a local id; on GitHub `owner/repo#12`). */
  task: string;
  title: string;
  owner: string;
  /** The fencing token every later write quotes. */
  epoch: number;
  /**
   * When the lease runs out, on the clock of the machine that claimed or renewed it (wall ms):
   * for the holder and for humans reading it. Observers elsewhere judge by their own clocks.
   */
  leaseUntil: number | null;
  /** The issue number, on GitHub. */
  issue?: number;
}

export type HandAction = 'claim' | 'renew' | 'release' | 'next';

/** What a hand command did, for a human (`message`) and for scripts (the rest). */
export interface HandResult {
  action: HandAction;
  /** The task acted on; null when `next` found none. */
  task: string | null;
  /** True when this command now holds the task (claim, renew, next --claim). */
  held: boolean;
  message: string;
  claim?: HandClaim;
  /** `claim` of a task whose holder had gone stale. */
  tookOverFrom?: string | null;
  /** `release`: the outcome and what the task became. */
  outcome?: ReleaseOutcome;
  state?: string;
  pr?: number;
  /** `next`: the task's capability and priority. */
  agent?: string | null;
  priority?: number;
}

export interface HandClaims {
  /** The person this was opened for. */
  readonly owner: string;
  /** Claims `task` for `leaseMs` at most; throws ClaimRefusedError when someone else holds it. */
  claim(task: string, leaseMs: number): Promise<HandResult>;
  /** This owner's current claim of `task`; throws ClaimLostError when it holds none. */
  held(task: string): Promise<HandClaim>;
  /** One heartbeat of `hold`: keeps `claim` live without moving the lease's end. */
  beat(claim: HandClaim): Promise<HandClaim>;
  /** Heartbeats and restarts the lease (`leaseMs`, or the length it was claimed with). */
  renew(task: string, leaseMs?: number): Promise<HandResult>;
  release(task: string, outcome: ReleaseOutcome, pr?: number): Promise<HandResult>;
  /** The best eligible task for `agent` (null: any); claimed by hand when `leaseMs` is given. */
  next(agent: string | null, leaseMs?: number): Promise<HandResult>;
  /** What this owner holds now. */
  mine(): Promise<HandClaim[]>;
  close(): Promise<void>;
}
