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
  const dead = new Map<string, boolean>();
  const isDead = (id: string, path: Set<string>): boolean => {
    const known = dead.get(id);
    if (known !== undefined) return known;
    const task = byId.get(id);
    // A cycle cannot complete either; seeding refuses them, but never loop on one.
    let result = !task || task.state === 'poisoned' || task.ignored || path.has(id);
    if (!result && task && task.state !== 'done') {
      path.add(id);
      result = task.deps.some((d) => isDead(d, path));
      path.delete(id);
    }
    dead.set(id, result);
    return result;
  };

  const work: PendingWork = { runnable: 0, held: 0, waiting: 0, nextWakeAt: null };
  for (const task of tasks) {
    if (task.state === 'done' || isDead(task.id, new Set())) continue;
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
