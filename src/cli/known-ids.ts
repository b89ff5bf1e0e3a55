/**
 * Commands that name a task act only on a task that exists: an unknown id is a typo, and
 * acting on it anyway would invent a task (`ignore` once created one that then ran). Each
 * check fails with a clear error (exit 2) before anything is written.
 */
import { InputError } from '../core/errors.js';
import type { SharedState } from '../state/shared-state.js';

export { requireLocalTask } from '../boards/local/local-steering.js';

/** A task on the board, or one the event log still knows (its row may be gone). */
export function requireKnownTask(store: SharedState, id: string): void {
  if (store.get(id) || store.events.query({ taskId: id, limit: 1 }).length > 0) return;
  throw new InputError(
    `No task ${JSON.stringify(id)} on the board and no events for it; list the ids with: codex-monitor state ls`,
  );
}
