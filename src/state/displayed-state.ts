/**
 * The state people see, derived from the stored one: a task that is ready (or failed and due
 * for another attempt) but has a dependency that is not done cannot be claimed — the claim SQL
 * requires every dependency DONE — so it shows as `blocked`, with what it waits on. The stored
 * state machine (core/task.ts) and the claim SQL are unchanged: `blocked` is never written.
 */
import { InputError } from '../core/errors.js';
import { TASK_STATES, type TaskState } from '../core/task.js';
import type { TaskFilter } from './tasks/task-queries.js';
import type { TaskView } from './tasks/task-rows.js';

export const DISPLAYED_STATES = ['ready', 'blocked', ...TASK_STATES.filter((s) => s !== 'ready')] as const;
export type DisplayedState = TaskState | 'blocked';

interface DepTask {
  id: string;
  state: TaskState;
  deps: readonly string[];
}

export interface Displayed {
  state: DisplayedState;
  /** Dependencies that are not done (missing ones included); empty unless blocked. */
  waitingOn: string[];
}

/** Reads every task's state once; answers for any task of the board. */
export function displayedStates(all: readonly DepTask[]): (task: DepTask) => Displayed {
  const states = new Map(all.map((t) => [t.id, t.state]));
  return (task) => {
    if (task.state !== 'ready' && task.state !== 'failed') return { state: task.state, waitingOn: [] };
    const waitingOn = task.deps.filter((d) => states.get(d) !== 'done');
    return waitingOn.length > 0 ? { state: 'blocked', waitingOn } : { state: task.state, waitingOn };
  };
}

/** A `--state` value: one of the displayed states, or an InputError naming the allowed ones. */
export function parseDisplayedState(value: string): DisplayedState {
  if ((DISPLAYED_STATES as readonly string[]).includes(value)) return value as DisplayedState;
  throw new InputError(`--state "${value}" is not one of ${DISPLAYED_STATES.join(', ')}`);
}

/** A task as listed: `state` is the displayed one, `storedState` what the store holds. */
export type ListedTask = Omit<TaskView, 'state'> & Displayed & { storedState: TaskState };

/** The tasks `filter` selects, each with its displayed state, optionally only those in `state`. */
export function listDisplayed(
  store: { list(filter?: TaskFilter): TaskView[] },
  filter: Omit<TaskFilter, 'state'>,
  state?: DisplayedState,
): ListedTask[] {
  const shown = displayedStates(store.list());
  return store
    .list(filter)
    .map((t) => ({ ...t, storedState: t.state, ...shown(t) }))
    .filter((t) => state === undefined || t.state === state);
}
