/** The computed metrics' sources for a board whose tasks live in the local state store. */
import { displayedStates } from '../../state/displayed-state.js';
import type { SharedState } from '../../state/shared-state.js';
import type { MetricsSources, TaskCounts } from './metrics.js';

export function localSources(store: SharedState): MetricsSources {
  return {
    events: store.events,
    tasks: () => countTasks(store),
    heartbeats: () => store.owners.list().map((o) => ({ owner: o.id, ageMs: o.silentMs })),
  };
}

function countTasks(store: SharedState): TaskCounts {
  const tasks = store.list();
  const shown = displayedStates(tasks);
  const counts: TaskCounts = { queue: 0, running: 0, blocked: 0, poisoned: 0 };
  for (const task of tasks) {
    if (task.ignored) continue;
    const { state } = shown(task);
    if (state === 'ready') counts.queue++;
    else if (state === 'claimed') counts.running++;
    else if (state === 'blocked') counts.blocked++;
    else if (state === 'poisoned') counts.poisoned++;
  }
  return counts;
}
