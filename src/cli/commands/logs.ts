import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { systemClock } from '../../core/clock.js';
import { InputError } from '../../core/errors.js';
import {
  type AttemptLog,
  attemptEnded,
  attemptsHere,
  chooseAttempt,
  type KnownClaim,
} from '../attempt-logs.js';
import { type CommandContext, type GlobalOptions, openContext } from '../context.js';
import { withExamples } from '../examples.js';
import { wantsJson } from '../json-mode.js';
import { follow } from '../output/follow.js';
import { printJson } from '../output/format.js';
import { readGitHubStatus } from '../output/github-status-render.js';
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
      using ctx = openContext(cmd.optsWithGlobals<GlobalOptions>(), { readOnly: true });
      const { taskId, issue } = resolveTask(ctx, task);
      const row = ctx.store.get(taskId);
      const here = attemptsHere(join(ctx.config.stateDir, 'artifacts'), taskId, row);
      requireKnownTask(ctx, taskId, issue, here.length > 0);
      const chosen = chooseAttempt(
        taskId,
        here,
        pick(opts),
        latestClaim(ctx, taskId, issue),
        ctx.config.ownerId,
      );
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

/** A task this machine knows of: a row, events, artifacts, or an issue a GitHub daemon here saw. */
function requireKnownTask(ctx: CommandContext, taskId: string, issue: number | null, hasArtifacts: boolean) {
  if (hasArtifacts || ctx.store.get(taskId) || ctx.store.events.query({ taskId, limit: 1 }).length > 0)
    return;
  if (issue !== null && githubSnapshotTask(ctx, issue)) return;
  throw new InputError(
    `No task ${JSON.stringify(taskId)} on this machine: no row, no events, no artifacts. ` +
      'List the ids with: codex-monitor tasks ls (on GitHub: codex-monitor status).',
  );
}

function githubSnapshotTask(ctx: CommandContext, issue: number) {
  const repo = ctx.config.github.repository;
  if (!repo) return null;
  const view = readGitHubStatus(ctx.store.kv, `${repo.owner}/${repo.repo}`, Date.now());
  return view.status?.tasks.find((t) => t.issue === issue) ?? null;
}

/** The newest claim known here: the task row, or (GitHub) the ledger holder a local daemon last saw. */
function latestClaim(ctx: CommandContext, taskId: string, issue: number | null): KnownClaim | null {
  const row = ctx.store.get(taskId);
  const fromRow: KnownClaim | null =
    row?.ownerId && row.epoch > 0
      ? { ownerId: row.ownerId, epoch: row.epoch, attempt: row.attempt || null }
      : null;
  const seen = issue !== null ? githubSnapshotTask(ctx, issue) : null;
  const fromLedger: KnownClaim | null =
    seen?.holder && seen.epoch !== null
      ? { ownerId: seen.holder, epoch: seen.epoch, attempt: seen.retryCount + 1 }
      : null;
  if (!fromRow) return fromLedger;
  return fromLedger && fromLedger.epoch > fromRow.epoch ? fromLedger : fromRow;
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
  using session = follow(systemClock());
  const copy = new LogCopy(path, (text) => session.write(text));
  if (!following || attempt.outcome !== 'running') {
    if (copy.copyNew() === 'absent') {
      const name = `attempt ${attempt.attempt ?? '?'} (epoch ${attempt.epoch}) of ${attempt.taskId}`;
      process.stderr.write(`${terminalLine(`No log at ${path} for ${name}: ${noLogWhy(attempt)}`)}\n`);
    }
    return;
  }
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
