import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { buildStatus } from '../../state/status-report.js';
import { type GlobalOptions, openContext } from '../context.js';
import { subcommand, withExamples } from '../examples.js';
import { printJson } from '../output/format.js';
import { readGitHubStatus, renderGitHubStatus } from '../output/github-status-render.js';
import { renderStatusMarkdown, renderStatusText } from '../output/status-render.js';
import { parseWatchInterval, type WatchFrame, watch } from '../output/watch.js';

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('tasks by agent and state, running tasks, blocked and poisoned tasks, owners, last events')
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
      using ctx = openContext(globals, { readOnly: true });
      const repo = ctx.config.github.repository;
      const render = (): WatchFrame => {
        const now = Date.now();
        const report = buildStatus(ctx.store, now);
        const github = repo ? readGitHubStatus(ctx.store.kv, `${repo.owner}/${repo.repo}`, now) : null;
        const githubText = github ? `\n${renderGitHubStatus(github, now)}` : '';
        if (opts.write) {
          const fenced = githubText ? `\n## GitHub\n\n\`\`\`\n${githubText.trim()}\n\`\`\`\n` : '';
          writeFileSync(opts.write, renderStatusMarkdown(report) + fenced);
        }
        return {
          text: `${renderStatusText(report)}${githubText}`,
          json: github ? { ...report, github } : report,
        };
      };
      const json = opts.json === true || globals.json === true;
      if (intervalMs !== null) {
        await watch({ intervalMs, json, render });
        return;
      }
      const frame = render();
      if (json) printJson(frame.json);
      else process.stdout.write(frame.text);
    });
  withExamples(subcommand(program, 'status'), [
    ['codex-monitor status'],
    ['codex-monitor status --json', 'for scripts'],
  ]);
}
