import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { systemClock } from '../../core/clock.js';
import { type GlobalOptions, openContext } from '../context.js';
import { openFleetReader } from '../open-fleet.js';
import { printJson } from '../output/format.js';
import { statusFrame } from '../output/status-frame.js';
import { parseDuration } from '../parse.js';

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description(
      'tasks by agent and state (blocked apart from ready), running, poisoned, owners, last events; on GitHub the whole fleet from the claim ledger',
    )
    .option('--json', 'print JSON')
    .option('--watch [interval]', 'redraw every interval (default 2s) until interrupted')
    .option('--write <file.md>', 'also write the report as markdown to a file')
    .action(async (opts: { json?: boolean; watch?: string | boolean; write?: string }, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      using ctx = openContext(globals, { readOnly: true, freshOnGitHub: true });
      const repo = ctx.config.github.repository;
      // On GitHub the fleet is read from the ledger and the issues list (open-fleet.ts).
      const github = repo && {
        repository: `${repo.owner}/${repo.repo}`,
        read: await openFleetReader(ctx.config, ctx.store, { clock: systemClock(), logger: ctx.logger }),
      };
      const show = async () => {
        const frame = await statusFrame(ctx.store, github || null, Date.now());
        if (opts.write) writeFileSync(opts.write, frame.markdown);
        if (opts.json || globals.json) printJson(frame.json);
        else {
          const clear = opts.watch && process.stdout.isTTY ? '\x1b[2J\x1b[H' : '';
          process.stdout.write(`${clear}${frame.text}`);
        }
      };
      await show();
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
