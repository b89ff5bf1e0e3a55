import { InputError } from '../../core/errors.js';
import type { BoardSteering } from '../../daemon/steering.js';
import type { SharedState } from '../../state/shared-state.js';

/** The local board's task `id`, or an error naming it (acting on a typo would invent a task). */
export function requireLocalTask(state: SharedState, id: string): void {
  if (state.get(id)) return;
  throw new InputError(
    `No task ${JSON.stringify(id)} on the board; list the ids with: codex-monitor tasks ls`,
  );
}

/** Resets a task, or says precisely why it cannot be. */
export function resetOrExplain(state: SharedState, id: string, options: { includeDone: boolean }): void {
  requireLocalTask(state, id);
  if (state.reset(id, { includeDone: options.includeDone, actor: 'cli' })) return;
  const task = state.get(id);
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

/** Steering on the embedded board: flags and the retry budget in the shared state, one transaction each. */
export class LocalSteering implements BoardSteering {
  constructor(private readonly state: SharedState) {}

  async retry(task: string): Promise<string> {
    resetOrExplain(this.state, task, { includeDone: false });
    return `Task ${task} is ready again with a fresh retry budget.`;
  }

  async ignore(task: string, reason: string): Promise<string> {
    requireLocalTask(this.state, task);
    this.state.setIgnored(task, reason, 'cli');
    return `Task ${task} is ignored: ${reason}`;
  }

  async unignore(task: string): Promise<string> {
    requireLocalTask(this.state, task);
    return this.state.clearIgnored(task, 'cli')
      ? `Task ${task} is no longer ignored.`
      : `Task ${task} was not ignored.`;
  }
}
