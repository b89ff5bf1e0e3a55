import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { buildStatus } from '../../state/status-report.js';
import { type GlobalOptions, openContext } from '../context.js';
import { printJson } from '../format.js';
import { parseDuration } from '../parse.js';
import { renderStatusMarkdown, renderStatusText } from '../status-render.js';

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('tasks by agent and state, running tasks, blocked and poisoned tasks, owners, last events')
    .option('--json', 'print JSON')
    .option('--watch [interval]', 'redraw every interval (default 2s) until interrupted')
    .option('--write <file.md>', 'also write the report as markdown to a file')
    .action(async (opts: { json?: boolean; watch?: string | boolean; write?: string }, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      using ctx = openContext(globals);
      const show = () => {
        const report = buildStatus(ctx.state, Date.now());
        if (opts.write) writeFileSync(opts.write, renderStatusMarkdown(report));
        if (opts.json || globals.json) printJson(report);
        else
          process.stdout.write(
            `${opts.watch && process.stdout.isTTY ? '\x1b[2J\x1b[H' : ''}${renderStatusText(report)}`,
          );
      };
      show();
      if (!opts.watch) return;
      const interval = typeof opts.watch === 'string' ? parseDuration(opts.watch) : 2000;
      await new Promise<void>((resolve) => {
        const timer = setInterval(show, interval);
        const end = () => {
          clearInterval(timer);
          resolve();
        };
        process.once('SIGINT', end);
        process.once('SIGTERM', end);
      });
    });
}
