import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { systemClock } from '../../core/clock.js';
import { errorMessage, InputError } from '../../core/errors.js';
import { redactUrl } from '../../core/redact.js';
import { type CommandContext, type GlobalOptions, openContext } from '../context.js';
import { withExamples } from '../examples.js';
import { wantsJson } from '../json-mode.js';
import { type AttemptLog, attemptEnded, attemptsHere, chooseAttempt } from '../logs/attempt-logs.js';
import { ledgerLatestClaim } from '../logs/ledger-lookup.js';
import { follow } from '../output/follow.js';
import { printJson } from '../output/format.js';
import { LogCopy } from '../output/log-copy.js';
import { terminalLine } from '../output/terminal-safe.js';
import { parsePositiveInt } from '../parse.js';

interface LogsOptions {
  attempt?: number;
  epoch?: number;
  follow?: boolean;
  stderr?: boolean;
}

export function registerLogsCommand(program: Command): void {
  const logs = program
    .command('logs <task>')
    .description(
      "an attempt's output (stdout, or stderr), from its artifacts on this machine; default the latest",
    )
    .option(
      '--attempt <n>',
      'the attempt with this number (the latest such, after a retry)',
      parsePositiveInt,
    )
    .option('--epoch <n>', 'the attempt of this claim epoch (unique per task)', parsePositiveInt)
    .option('--stderr', 'the error stream instead of stdout')
    .option('-f, --follow', 'keep printing while the attempt runs; ends when it finishes (or on Ctrl-C)')
    .option(
      '--json',
      'print where the log is and how the attempt ended (path, owner, attempt, outcome), not its content',
    )
    .action(async (task: string, opts: LogsOptions, cmd: Command) => {
      if (opts.attempt !== undefined && opts.epoch !== undefined)
        cmd.error('error: give --attempt or --epoch, not both (an epoch names one attempt already)');
      // On GitHub a workstation that never ran anything may still ask who has the log.
      using ctx = openContext(cmd.optsWithGlobals<GlobalOptions>(), {
        readOnly: (config) => config.github.repository === undefined,
      });
      const { taskId, issue } = resolveTask(ctx, task);
      const row = ctx.store.get(taskId);
      const here = attemptsHere(join(ctx.config.stateDir, 'artifacts'), taskId, row);
      // On GitHub the ledger names whoever ran the latest attempt (maybe another workstation).
      const ledger = issue === null ? null : await ledgerOrWarn(ctx, issue);
      const knownHere =
        here.length > 0 || row !== undefined || ctx.store.events.query({ taskId, limit: 1 }).length > 0;
      if (!knownHere && ledger === null) {
        throw new InputError(
          `No task ${JSON.stringify(task)}${issue === null ? '' : ' in the claim ledger'} and nothing of it on this machine. ` +
            'List the ids with: codex-monitor tasks ls (on GitHub: codex-monitor status).',
        );
      }
      const chosen = chooseAttempt(taskId, here, pick(opts), ledger?.claim ?? null, ctx.config.ownerId);
      const path = opts.stderr ? chosen.stderr : chosen.stdout;
      if (wantsJson(cmd)) return printJson(metadata(chosen, path, opts.stderr ? 'stderr' : 'stdout'));
      await printLog(ctx, chosen, path, opts.follow === true);
    });
  withExamples(logs, [
    ['codex-monitor logs publish', "the latest attempt's stdout"],
    ['codex-monitor logs publish --attempt 2 --stderr', 'the second attempt, its stderr'],
    ['codex-monitor logs 12 --follow', 'on GitHub: issue #12, while it runs'],
  ]);
}

const pick = (opts: LogsOptions) => ({
  ...(opts.attempt !== undefined ? { attempt: opts.attempt } : {}),
  ...(opts.epoch !== undefined ? { epoch: opts.epoch } : {}),
});

/** On GitHub `12`, `#12` or `owner/repo#12` name an issue; anything else is a task id as typed. */
function resolveTask(ctx: CommandContext, task: string): { taskId: string; issue: number | null } {
  const repo = ctx.config.github.repository;
  const match = repo ? /^(?:([\w.-]+\/[\w.-]+))?#?(\d+)$/.exec(task.trim()) : null;
  if (!repo || !match || (match[1] && match[1] !== `${repo.owner}/${repo.repo}`))
    return { taskId: task, issue: null };
  const issue = Number(match[2]);
  return { taskId: `${repo.owner}/${repo.repo}#${issue}`, issue };
}

/** The ledger's word on `issue`; unreadable (offline, no token), a warning and what is here. */
async function ledgerOrWarn(ctx: CommandContext, issue: number) {
  try {
    return await ledgerLatestClaim(ctx.config, ctx.store, ctx.logger, issue);
  } catch (error) {
    process.stderr.write(
      `codex-monitor: warning: ${terminalLine(`could not read the claim ledger (${redactUrl(errorMessage(error))}): showing what is on this machine`)}\n`,
    );
    return undefined;
  }
}

function metadata(a: AttemptLog, path: string, stream: 'stdout' | 'stderr') {
  return {
    task: a.taskId,
    attempt: a.attempt,
    epoch: a.epoch,
    owner: a.ownerId,
    outcome: a.outcome,
    stream,
    path,
    exists: existsSync(path),
    dir: a.dir,
    startedAt: a.startedAt,
    endedAt: a.endedAt,
  };
}

/** Copies the log (terminal-safe); following, until the attempt ends, Ctrl-C or a closed pipe. */
async function printLog(ctx: CommandContext, attempt: AttemptLog, path: string, following: boolean) {
  if (!following || attempt.outcome !== 'running') {
    // Ctrl-C keeps its default here (exit at once): no session holds it.
    const copy = new LogCopy(path, (text) => {
      if (process.stdout.destroyed) return false; // a closed pipe (main drops the EPIPE)
      process.stdout.write(text);
      return true;
    });
    if (copy.copyNew() === 'absent') {
      const name = `attempt ${attempt.attempt ?? '?'} (epoch ${attempt.epoch}) of ${attempt.taskId}`;
      process.stderr.write(`${terminalLine(`No log at ${path} for ${name}: ${noLogWhy(attempt)}`)}\n`);
    }
    return;
  }
  using session = follow(systemClock());
  const copy = new LogCopy(path, (text) => session.write(text));
  for (;;) {
    // Read the end state before copying: what the attempt wrote before it ended is then copied.
    const ended = attemptEnded(attempt, ctx.store.get(attempt.taskId));
    if (copy.copyNew() === 'stopped' || ended) return;
    if (!(await session.pause())) return;
  }
}

function noLogWhy(a: AttemptLog): string {
  if (a.outcome === 'running') return 'it has written nothing yet (follow it with --follow)';
  return 'its executor wrote none (a noop task has no output)';
}
