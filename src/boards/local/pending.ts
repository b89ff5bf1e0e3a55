import { walkDepthFirst } from '../../core/graph.js';
import type { PendingWork } from '../../daemon/board.js';
import type { TaskClaimability } from '../../state/shared-state.js';

/**
 * Classifies what is left to do, from the store's claimable verdict on each task (so what
 * counts as runnable here is exactly what a claim would take). A task is dead — never
 * runnable without a human — when it or any task it (transitively) depends on is poisoned
 * (or out of retries), ignored, or missing. Everything else not done is either runnable now,
 * held by a live owner, or waiting (backoff or deps).
 */
export function pendingWork(tasks: readonly TaskClaimability[]): PendingWork {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  // Dead flows from a dependency to what waits on it: computed after the deps (post-order),
  // iteratively, so a DAG thousands deep behind an ignored task does not overflow the stack.
  const dead = new Map<string, boolean>();
  const lost = (id: string) => {
    const refusal = byId.get(id)?.refusal;
    return refusal === undefined || refusal === 'poisoned' || refusal === 'ignored';
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
    if (task.refusal === 'held') {
      work.held++;
      continue;
    }
    if (!task.forAgent) continue;
    if (task.refusal === null) work.runnable++;
    else work.waiting++;
    if (task.refusal === 'backoff' && (work.nextWakeAt === null || task.nextAttemptAt < work.nextWakeAt)) {
      work.nextWakeAt = task.nextAttemptAt;
    }
  }
  return work;
}
