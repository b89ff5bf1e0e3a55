import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { buildStatus } from '../../state/status-report.js';
import { type GlobalOptions, openContext } from '../context.js';
import { subcommand, withExamples } from '../examples.js';
import { printJson } from '../output/format.js';
import { readGitHubStatus, renderGitHubStatus } from '../output/github-status-render.js';
import { renderStatusMarkdown, renderStatusText } from '../output/status-render.js';
import { parseDuration } from '../parse.js';

export function registerStatusCommand(program: Command): void {
  program
    .command('status')
    .description('tasks by agent and state, running tasks, blocked and poisoned tasks, owners, last events')
    .option('--json', 'print JSON')
    .option('--watch [interval]', 'redraw every interval (default 2s) until interrupted')
    .option('--write <file.md>', 'also write the report as markdown to a file')
    .action(async (opts: { json?: boolean; watch?: string | boolean; write?: string }, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      using ctx = openContext(globals, { readOnly: true });
      const repo = ctx.config.github.repository;
      const show = () => {
        const now = Date.now();
        const report = buildStatus(ctx.store, now);
        const github = repo ? readGitHubStatus(ctx.store.kv, `${repo.owner}/${repo.repo}`, now) : null;
        const githubText = github ? `\n${renderGitHubStatus(github, now)}` : '';
        if (opts.write) {
          const fenced = githubText ? `\n## GitHub\n\n\`\`\`\n${githubText.trim()}\n\`\`\`\n` : '';
          writeFileSync(opts.write, renderStatusMarkdown(report) + fenced);
        }
        if (opts.json || globals.json) printJson(github ? { ...report, github } : report);
        else {
          const clear = opts.watch && process.stdout.isTTY ? '\x1b[2J\x1b[H' : '';
          process.stdout.write(`${clear}${renderStatusText(report)}${githubText}`);
        }
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
  withExamples(subcommand(program, 'status'), [
    ['codex-monitor status'],
    ['codex-monitor status --json', 'for scripts'],
  ]);
}
