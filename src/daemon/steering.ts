/**
 * What a human says to a board: re-enable a task, keep automation off it, or lift that. Every
 * board implements it, so `codex-monitor retry|ignore|unignore` works the same on each and
 * knows nothing of how a board records it (SQLite flags, GitHub labels and ledger resets).
 *
 * `task` is what the human typed (a local id; on GitHub `12`, `#12` or `owner/repo#12`). Each
 * method answers a structured result (printed as one sentence, or as JSON with `--json`), and
 * throws an InputError (exit 2) naming the task and what to do instead when it cannot be done:
 * unknown task, held by a live owner, done.
 */
export interface BoardSteering {
  /** A poisoned or failed task becomes claimable again with a fresh retry budget. */
  retry(task: string): Promise<SteeringResult>;
  /** Keeps automation off the task; a running attempt stops at its next heartbeat. */
  ignore(task: string, reason: string): Promise<SteeringResult>;
  /** Lets automation work the task again. */
  unignore(task: string): Promise<SteeringResult>;
}

export type SteeringAction = 'retry' | 'ignore' | 'unignore';

/** What a steering command did, for a human (`message`) and for scripts (the rest). */
export interface SteeringResult {
  /** The board's id of the task (on GitHub the task id of the issue, e.g. `owner/repo#12`). */
  task: string;
  action: SteeringAction;
  /** False when the task already was as asked (unignore of a task that was not ignored). */
  changed: boolean;
  /** One sentence for the human who typed the command. */
  message: string;
  /** The issue number, on GitHub. */
  issue?: number;
  /** Why the task is ignored (ignore only). */
  reason?: string;
}
