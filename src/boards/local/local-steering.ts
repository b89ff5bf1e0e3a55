import { InputError } from '../../core/errors.js';
import type { BoardSteering, SteeringResult } from '../../daemon/steering.js';
import type { SharedState } from '../../state/shared-state.js';

/** The local board's task `id`, or an error naming it (acting on a typo would invent a task). */
export function requireLocalTask(store: SharedState, id: string): void {
  if (store.get(id)) return;
  throw new InputError(
    `No task ${JSON.stringify(id)} on the board; list the ids with: codex-monitor tasks ls`,
  );
}

/** Resets a task, or says precisely why it cannot be. */
export function resetOrExplain(store: SharedState, id: string, options: { includeDone: boolean }): void {
  requireLocalTask(store, id);
  if (store.reset(id, { includeDone: options.includeDone, actor: 'cli' })) return;
  const task = store.get(id);
  if (!task) throw new InputError(`No task ${id} on the board.`);
  if (task.state === 'claimed') {
    throw new InputError(
      `Task ${id} is being worked by ${task.ownerId}; stop that daemon or wait for it to release the task.`,
    );
  }
  if (task.state === 'done') {
    throw new InputError(
      `Task ${id} is done; retry re-enables poisoned or failed tasks. ` +
        `To run finished work again on purpose: codex-monitor tasks reset ${id}`,
    );
  }
  throw new InputError(`Task ${id} is ${task.state}; nothing to reset.`);
}

/** Steering on the embedded board: flags and the retry budget in the local store, one transaction each. */
export class LocalSteering implements BoardSteering {
  constructor(private readonly store: SharedState) {}

  async retry(task: string): Promise<SteeringResult> {
    resetOrExplain(this.store, task, { includeDone: false });
    const message = `Task ${task} is ready again with a fresh retry budget.`;
    return { task, action: 'retry', changed: true, message };
  }

  async ignore(task: string, reason: string): Promise<SteeringResult> {
    requireLocalTask(this.store, task);
    const before = this.store.get(task);
    const changed = !before?.ignored || before.ignoreReason !== reason;
    this.store.setIgnored(task, reason, 'cli');
    return { task, action: 'ignore', changed, message: `Task ${task} is ignored: ${reason}`, reason };
  }

  async unignore(task: string): Promise<SteeringResult> {
    requireLocalTask(this.store, task);
    const changed = this.store.clearIgnored(task, 'cli');
    const message = changed ? `Task ${task} is no longer ignored.` : `Task ${task} was not ignored.`;
    return { task, action: 'unignore', changed, message };
  }
}
