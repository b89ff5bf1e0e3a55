import type { Command } from 'commander';
import { systemClock } from '../../core/clock.js';
import type { BoardSteering } from '../../daemon/steering.js';
import { type GlobalOptions, openContext } from '../context.js';
import { openBoard } from '../open-board.js';

/**
 * Human steering: retry a poisoned task, keep automation off a task, or lift that. The
 * configured board does it its own way (local flags; on GitHub labels and a ledger reset).
 */
export function registerSteeringCommands(program: Command): void {
  program
    .command('retry <task>')
    .description('re-enable a poisoned or failed task (on GitHub: an issue number) with a fresh retry budget')
    .action(async (task: string, _opts: unknown, cmd: Command) => {
      await steer(cmd, (steering) => steering.retry(task));
    });

  program
    .command('ignore <task>')
    .description(
      'keep automation off a task (on GitHub: labels the issue codex:ignore); a running attempt stops',
    )
    .option('--reason <text>', 'why, for the humans reading the status', 'ignored by a human')
    .action(async (task: string, opts: { reason: string }, cmd: Command) => {
      await steer(cmd, (steering) => steering.ignore(task, opts.reason));
    });

  program
    .command('unignore <task>')
    .description('let automation work a task again (on GitHub: removes codex:ignore)')
    .action(async (task: string, _opts: unknown, cmd: Command) => {
      await steer(cmd, (steering) => steering.unignore(task));
    });
}

/** Opens the configured board, steers, prints the board's answer, and closes the board. */
async function steer(cmd: Command, act: (steering: BoardSteering) => Promise<string>): Promise<void> {
  using ctx = openContext(cmd.optsWithGlobals<GlobalOptions>());
  const board = await openBoard(ctx.config, ctx.store, {
    clock: systemClock(ctx.config.clockOffsetMs),
    logger: ctx.logger,
  });
  try {
    process.stdout.write(`${await act(board.steering)}\n`);
  } finally {
    await board.close();
  }
}
