import type { Command } from 'commander';
import { GitHubNotFoundError } from '../../boards/github/http/index.js';
import { type GitHubContext, openGitHubBoard } from '../../boards/github/index.js';
import { IGNORE_LABEL } from '../../boards/github/mirror/index.js';
import { systemClock } from '../../core/clock.js';
import { InputError } from '../../core/errors.js';
import { type CommandContext, type GlobalOptions, openContext } from '../context.js';
import { githubPayloads } from '../github-payload.js';
import { requireIssue, requireLocalTask } from '../known-ids.js';
import { resetOrExplain } from './tasks.js';

/** Human steering: retry a poisoned task, keep automation off a task, or lift that. */
export function registerSteeringCommands(program: Command): void {
  program
    .command('retry <task>')
    .description('re-enable a poisoned or failed task (on GitHub: an issue number) with a fresh retry budget')
    .action(async (task: string, _opts: unknown, cmd: Command) => {
      using ctx = openContext(cmd.optsWithGlobals<GlobalOptions>());
      const github = openGitHub(ctx);
      if (github) {
        const issue = issueNumber(task);
        const { owner, repo } = ctx.config.github.repository!;
        await requireIssue(github.client, owner, repo, issue);
        const result = await github.board.steering.retry(issue, 'codex-monitor retry');
        if (!result.ok) {
          await github.board.close();
          throw new InputError(
            result.reason === 'held'
              ? `#${issue} is held by a live owner; retry it once that attempt ends.`
              : `Cannot retry #${issue}: ${result.detail}`,
          );
        }
        await github.board.close();
        process.stdout.write(`#${issue} is ready again with a fresh retry budget.\n`);
        return;
      }
      resetOrExplain(ctx.state, task, { includeDone: false });
      process.stdout.write(`Task ${task} is ready again with a fresh retry budget.\n`);
    });

  program
    .command('ignore <task>')
    .description(
      'keep automation off a task (on GitHub: labels the issue codex:ignore); a running attempt stops',
    )
    .option('--reason <text>', 'why, for the humans reading the status', 'ignored by a human')
    .action(async (task: string, opts: { reason: string }, cmd: Command) => {
      using ctx = openContext(cmd.optsWithGlobals<GlobalOptions>());
      const github = openGitHub(ctx);
      if (github) {
        const issue = issueNumber(task);
        const { owner, repo } = ctx.config.github.repository!;
        await requireIssue(github.client, owner, repo, issue);
        await github.client.rest.issues.addLabels({
          owner,
          repo,
          issue_number: issue,
          labels: [IGNORE_LABEL],
        });
        ctx.state.setIgnored(github.board.taskId(issue), opts.reason, 'cli');
        process.stdout.write(`#${issue} is labelled ${IGNORE_LABEL}: ${opts.reason}\n`);
        return;
      }
      requireLocalTask(ctx.state, task); // ignoring an unknown id once created a task that ran
      ctx.state.setIgnored(task, opts.reason, 'cli');
      process.stdout.write(`Task ${task} is ignored: ${opts.reason}\n`);
    });

  program
    .command('unignore <task>')
    .description('let automation work a task again (on GitHub: removes codex:ignore)')
    .action(async (task: string, _opts: unknown, cmd: Command) => {
      using ctx = openContext(cmd.optsWithGlobals<GlobalOptions>());
      const github = openGitHub(ctx);
      if (github) {
        const issue = issueNumber(task);
        const { owner, repo } = ctx.config.github.repository!;
        await requireIssue(github.client, owner, repo, issue);
        try {
          await github.client.rest.issues.removeLabel({
            owner,
            repo,
            issue_number: issue,
            name: IGNORE_LABEL,
          });
        } catch (error) {
          if (!(error instanceof GitHubNotFoundError)) throw error;
        }
        ctx.state.clearIgnored(github.board.taskId(issue), 'cli');
        process.stdout.write(`#${issue} is no longer labelled ${IGNORE_LABEL}.\n`);
        return;
      }
      requireLocalTask(ctx.state, task);
      const changed = ctx.state.clearIgnored(task, 'cli');
      process.stdout.write(
        changed ? `Task ${task} is no longer ignored.\n` : `Task ${task} was not ignored.\n`,
      );
    });
}

function openGitHub(ctx: CommandContext): GitHubContext | null {
  if (!ctx.config.github.repository) return null;
  return openGitHubBoard(ctx.config, ctx.state, {
    clock: systemClock(ctx.config.clockOffsetMs),
    logger: ctx.logger,
    payloadFor: githubPayloads(ctx.config),
  });
}

/** `12`, `#12` or `owner/repo#12`. */
function issueNumber(task: string): number {
  const match = /^(?:[\w.-]+\/[\w.-]+)?#?(\d+)$/.exec(task.trim());
  if (!match) throw new InputError(`"${task}" is not an issue number (12, #12 or owner/repo#12).`);
  return Number(match[1]);
}
