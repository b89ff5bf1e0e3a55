import type { Command } from 'commander';
import { type GlobalOptions, openContext } from '../context.js';
import { resetOrExplain } from './tasks.js';

/** Human steering: retry a poisoned task, keep automation off a task, or lift that. */
export function registerSteeringCommands(program: Command): void {
  program
    .command('retry <task>')
    .description('re-enable a poisoned or failed task with a fresh retry budget')
    .action((id: string, _opts: unknown, cmd: Command) => {
      using ctx = openContext(cmd.optsWithGlobals<GlobalOptions>());
      resetOrExplain(ctx.state, id, { includeDone: false });
      process.stdout.write(`Task ${id} is ready again with a fresh retry budget.\n`);
    });

  program
    .command('ignore <task>')
    .description('keep automation off a task (a running attempt is stopped within one heartbeat)')
    .option('--reason <text>', 'why, for the humans reading the status', 'ignored by a human')
    .action((id: string, opts: { reason: string }, cmd: Command) => {
      using ctx = openContext(cmd.optsWithGlobals<GlobalOptions>());
      ctx.state.setIgnored(id, opts.reason, 'cli');
      process.stdout.write(`Task ${id} is ignored: ${opts.reason}\n`);
    });

  program
    .command('unignore <task>')
    .description('let automation work a task again')
    .action((id: string, _opts: unknown, cmd: Command) => {
      using ctx = openContext(cmd.optsWithGlobals<GlobalOptions>());
      const changed = ctx.state.clearIgnored(id, 'cli');
      process.stdout.write(changed ? `Task ${id} is no longer ignored.\n` : `Task ${id} was not ignored.\n`);
    });
}
