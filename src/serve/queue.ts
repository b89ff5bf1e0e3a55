import { displayedStates } from '../state/displayed-state.js';
import type { SharedState } from '../state/shared-state.js';

/**
 * Ready tasks in the order the local board claims them (priority, then age: claims/claim.ts),
 * without the blocked, the ignored and those backing off.
 */
export function readyQueue(
  store: SharedState,
  now: number,
): { id: string; title: string; priority: number }[] {
  const tasks = store.list();
  const shown = displayedStates(tasks);
  return tasks
    .filter((t) => t.state === 'ready' && !t.ignored && t.nextAttemptAt <= now && shown(t).state === 'ready')
    .map((t) => ({ id: t.id, title: t.title, priority: t.priority }));
}

/**
 * The live stream's cursor: the newest event id, plus the tasks' count and newest update —
 * adding a task (`tasks add`, a seed) changes the board without writing an event. One indexed
 * read per poll; it changes whenever the status could.
 */
export function changeCursor(store: SharedState): string {
  const row = store.db
    .prepare(
      'SELECT (SELECT COALESCE(MAX(id), 0) FROM events) AS e, COUNT(*) AS n, COALESCE(MAX(updated_at), 0) AS u FROM tasks',
    )
    .get() as { e: number; n: number; u: number };
  return `${row.e}:${row.n}:${row.u}`;
}
