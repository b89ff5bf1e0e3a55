import type { Command } from 'commander';
import { systemClock } from '../../core/clock.js';
import type { BoardSteering, SteeringResult } from '../../daemon/steering.js';
import { type GlobalOptions, openContext } from '../context.js';
import { withExamples } from '../examples.js';
import { jsonOption, wantsJson } from '../json-mode.js';
import { openBoard } from '../open/open-board.js';
import { printJson } from '../output/format.js';
import { terminalText } from '../output/terminal-safe.js';

/**
 * Human steering: retry a poisoned task, keep automation off a task, or lift that. The
 * configured board does it its own way (local flags; on GitHub labels and a ledger reset).
 */
export function registerSteeringCommands(program: Command): void {
  const retry = program
    .command('retry <task>')
    .description('re-enable a poisoned or failed task (on GitHub: an issue number) with a fresh retry budget')
    .action(async (task: string, _opts: unknown, cmd: Command) => {
      await steer(cmd, (steering) => steering.retry(task));
    });
  withExamples(jsonOption(retry, 'print the result as JSON'), [
    ['codex-monitor retry publish', 'a local task'],
    ['codex-monitor retry 12 --json', 'on GitHub: issue #12, the result as JSON'],
  ]);

  const ignore = program
    .command('ignore <task>')
    .description(
      'keep automation off a task (on GitHub: labels the issue codex:ignore); a running attempt stops',
    )
    .option('--reason <text>', 'why, for the humans reading the status', 'ignored by a human')
    .action(async (task: string, opts: { reason: string }, cmd: Command) => {
      await steer(cmd, (steering) => steering.ignore(task, opts.reason));
    });
  withExamples(jsonOption(ignore, 'print the result as JSON'), [
    ['codex-monitor ignore lint --reason "flaky linter"'],
  ]);

  const unignore = program
    .command('unignore <task>')
    .description('let automation work a task again (on GitHub: removes codex:ignore)')
    .action(async (task: string, _opts: unknown, cmd: Command) => {
      await steer(cmd, (steering) => steering.unignore(task));
    });
  withExamples(jsonOption(unignore, 'print the result as JSON'), [['codex-monitor unignore lint']]);
}

/** Opens the configured board, steers, prints the board's answer, and closes the board. */
async function steer(cmd: Command, act: (steering: BoardSteering) => Promise<SteeringResult>): Promise<void> {
  using ctx = openContext(cmd.optsWithGlobals<GlobalOptions>());
  const board = await openBoard(ctx.config, ctx.store, {
    clock: systemClock(ctx.config.clockOffsetMs),
    logger: ctx.logger,
  });
  try {
    const result = await act(board.steering);
    // The message quotes the human's reason and the task id: terminal-safe like every such line.
    if (wantsJson(cmd)) printJson(result);
    else process.stdout.write(`${terminalText(result.message)}\n`);
  } finally {
    await board.close();
  }
}
