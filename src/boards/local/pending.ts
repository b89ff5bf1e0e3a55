import { walkDepthFirst } from '../../core/graph.js';
import type { PendingWork } from '../../daemon/board.js';
import type { TaskView } from '../../state/task-rows.js';

/**
 * Classifies what is left to do. A task is dead — never runnable without a human — when it
 * or any task it (transitively) depends on is poisoned, ignored, or missing. Everything else
 * not done is either runnable now, held by a live owner, or waiting (backoff or deps).
 */
export function pendingWork(
  tasks: readonly TaskView[],
  options: { agent: string | null; now: number; maxRetries: number },
): PendingWork {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  // Dead flows from a dependency to what waits on it: computed after the deps (post-order),
  // iteratively, so a DAG thousands deep behind an ignored task does not overflow the stack.
  const dead = new Map<string, boolean>();
  const lost = (id: string) => {
    const task = byId.get(id);
    return !task || task.state === 'poisoned' || task.ignored;
  };
  const deps = (id: string) => (lost(id) || byId.get(id)!.state === 'done' ? [] : byId.get(id)!.deps);
  walkDepthFirst(byId.keys(), deps, {
    enter: (id) => dead.set(id, lost(id)),
    // A cycle cannot complete either; seeding refuses them, but never loop on one.
    revisit: (from, to, _path, at) => {
      if (at !== undefined || dead.get(to)) dead.set(from, true);
    },
    leave: (id, waiting) => {
      if (waiting !== undefined && dead.get(id)) dead.set(waiting, true);
    },
  });

  const work: PendingWork = { runnable: 0, held: 0, waiting: 0, nextWakeAt: null };
  for (const task of tasks) {
    if (task.state === 'done' || dead.get(task.id)) continue;
    if (task.state === 'claimed') {
      work.held++;
      continue;
    }
    if (options.agent !== null && task.agent !== null && task.agent !== options.agent) continue;
    const depsDone = task.deps.every((d) => byId.get(d)?.state === 'done');
    const backingOff = task.state === 'failed' && task.nextAttemptAt > options.now;
    if (depsDone && !backingOff) work.runnable++;
    else work.waiting++;
    if (backingOff && (work.nextWakeAt === null || task.nextAttemptAt < work.nextWakeAt)) {
      work.nextWakeAt = task.nextAttemptAt;
    }
  }
  return work;
}
