import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { systemClock } from '../../core/clock.js';
import { type GlobalOptions, openContext } from '../context.js';
import { subcommand, withExamples } from '../examples.js';
import { githubIssuesRepository } from '../open/board-kind.js';
import { openFleetReader } from '../open/open-fleet.js';
import { coloursFor } from '../output/colour.js';
import { printJson } from '../output/format.js';
import { statusFrame } from '../output/status-frame.js';
import { parseWatchInterval, type WatchFrame, watch } from '../output/watch.js';

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description(
      'tasks by agent and state (blocked apart from ready), running, poisoned, owners, last events; on GitHub the whole fleet from the claim ledger',
    )
    .option('--json', 'print JSON')
    .option(
      '--watch [interval]',
      'redraw every interval (default 2s; 1s to 1h; a bare number is seconds) until interrupted; with --json, one JSON document per line',
    )
    .option('--write <file.md>', 'also write the report as markdown to a file')
    .action(async (opts: { json?: boolean; watch?: string | boolean; write?: string }, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      // A bad interval is refused before anything is shown.
      const intervalMs = opts.watch ? parseWatchInterval(opts.watch) : null;
      using ctx = openContext(globals, { readOnly: true, freshOnGitHub: true });
      const repo = githubIssuesRepository(ctx.config);
      // On GitHub the fleet is read from the ledger and the issues list (open-fleet.ts), the
      // reader opened once: its conditional reads make every later frame cheap.
      const github = repo && {
        repository: `${repo.owner}/${repo.repo}`,
        read: await openFleetReader(ctx.config, ctx.store, { clock: systemClock(), logger: ctx.logger }),
      };
      let unreadable = false;
      const paint = coloursFor(process.stdout);
      const render = async (): Promise<WatchFrame> => {
        const frame = await statusFrame(ctx.store, github || null, Date.now(), paint);
        if (opts.write) writeFileSync(opts.write, frame.markdown);
        unreadable = frame.unreadable !== undefined;
        return { text: frame.text, json: frame.json };
      };
      const json = opts.json === true || globals.json === true;
      if (intervalMs !== null) {
        await watch({ intervalMs, json, render });
        return;
      }
      const frame = await render();
      if (json) printJson(frame.json);
      else process.stdout.write(frame.text);
      if (unreadable) process.exitCode = 1;
    });
  withExamples(subcommand(program, 'status'), [
    ['codex-monitor status'],
    ['codex-monitor status --watch 5s', 'redrawn in place until Ctrl-C'],
    ['codex-monitor status --json', 'for scripts'],
  ]);
}
