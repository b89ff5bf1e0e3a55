/**
 * What a human says to a board: re-enable a task, keep automation off it, or lift that. Every
 * board implements it, so `codex-monitor retry|ignore|unignore` works the same on each and
 * knows nothing of how a board records it (SQLite flags, GitHub labels and ledger resets).
 *
 * `task` is what the human typed (a local id; on GitHub `12`, `#12` or `owner/repo#12`). Each
 * method answers one sentence for that human, and throws an InputError (exit 2) naming the
 * task and what to do instead when it cannot be done: unknown task, held by a live owner, done.
 */
export interface BoardSteering {
  /** A poisoned or failed task becomes claimable again with a fresh retry budget. */
  retry(task: string): Promise<string>;
  /** Keeps automation off the task; a running attempt stops at its next heartbeat. */
  ignore(task: string, reason: string): Promise<string>;
  /** Lets automation work the task again. */
  unignore(task: string): Promise<string>;
}
