import type { Command } from 'commander';
import type { Config } from '../../config/config.js';
import { systemClock } from '../../core/clock.js';
import type { WorktreeEntry } from '../../workspaces/index.js';
import { type GlobalOptions, readConfig } from '../context.js';
import { withExamples } from '../examples.js';
import { duration, isoTime, printJson, table } from '../output/format.js';
import { checkOwningRepository, openWorktreeInventory, worktreesRoot } from '../worktree-inventory.js';

/** One worktree as printed (and as --json gives it). */
function entryJson(e: WorktreeEntry, now: number) {
  return {
    name: e.name,
    dir: e.dir,
    key: e.key,
    branch: e.branch,
    attempt: e.attempt,
    status: e.status,
    ownerPid: e.ownerPid,
    createdAt: e.createdAt,
    ageMs: now - e.createdAt,
    keptUntil: e.keepUntil,
  };
}

function renderTable(entries: readonly WorktreeEntry[], now: number): string {
  const rows = entries.map((e) => [
    e.key,
    e.branch,
    e.status,
    duration(now - e.createdAt),
    e.keepUntil === null ? null : isoTime(e.keepUntil),
    e.dir,
  ]);
  return `${table(['KEY', 'BRANCH', 'STATUS', 'AGE', 'KEPT UNTIL', 'PATH'], rows)}\n`;
}

/** Said when there is nothing to show, with why when worktrees are switched off. */
function nothingThere(config: Config): string {
  const root = worktreesRoot(config);
  const off =
    config.workspace.mode === 'worktree'
      ? ''
      : ' WORKSPACE is "none": attempts run in empty directories, without worktrees (set WORKSPACE=worktree to give each attempt one).';
  return `No worktrees under ${root}.${off}\n`;
}

export function registerWorkspaceCommands(program: Command): void {
  const workspaces = program
    .command('workspaces')
    .description("the attempts' git worktrees under <state dir>/worktrees: list and clean them");

  workspaces
    .command('ls')
    .description('list the worktrees with their branch, task key, status, age and how long a kept one stays')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
Status: active (its daemon runs), kept (a failed attempt's, kept for inspection until KEPT UNTIL),
leftover (its daemon died), expired (kept past its time). Leftovers and expired ones go with
\`workspaces prune\`, and when a daemon starts.

Example:
  $ codex-monitor workspaces ls
  KEY  BRANCH                     STATUS  AGE    KEPT UNTIL                PATH
  12   codex/12-fix-login-timeout kept    2h10m  2026-11-30T10:00:00.000Z  .codex-monitor/worktrees/12--3`,
    )
    .action((opts: { json?: boolean }, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const config = readConfig(globals);
      const clock = systemClock(config.clockOffsetMs);
      const entries = openWorktreeInventory(config, clock)?.list() ?? [];
      const now = clock.now();
      if (opts.json || globals.json) return printJson(entries.map((e) => entryJson(e, now)));
      process.stdout.write(entries.length === 0 ? nothingThere(config) : renderTable(entries, now));
    });

  workspaces
    .command('prune')
    .description(
      "remove leftover worktrees (their daemon died) and kept ones past their time; never a running daemon's",
    )
    .option('--all', 'also remove kept worktrees whose time is not up (every one that is not active)')
    .option('--json', 'print what was removed as JSON')
    .addHelpText(
      'after',
      `
A removed worktree's local branch is deleted with it on the GitHub board (the work was pushed,
or failed); on the local board the branch stays: it is the task's result.

Example:
  $ codex-monitor workspaces prune --all
  Removed 2 worktrees: 12--3 (kept), 15--1 (leftover).`,
    )
    .action(async (opts: { all?: boolean; json?: boolean }, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const config = readConfig(globals);
      const clock = systemClock(config.clockOffsetMs);
      const json = opts.json || globals.json;
      const worktrees = openWorktreeInventory(config, clock);
      const entries = worktrees?.list() ?? [];
      if (!worktrees || entries.length === 0) {
        if (json) printJson({ removed: [], kept: [] });
        else process.stdout.write(nothingThere(config));
        return;
      }
      await checkOwningRepository(config.workspace.repoDir, entries);
      const removed = await worktrees.prune({ all: opts.all === true });
      const now = clock.now();
      const gone = new Set(removed.map((e) => e.name));
      const kept = worktrees.list().filter((e) => !gone.has(e.name));
      if (json) {
        return printJson({
          removed: removed.map((e) => entryJson(e, now)),
          kept: kept.map((e) => entryJson(e, now)),
        });
      }
      const what = removed.map((e) => `${e.name} (${e.status})`).join(', ');
      const lines = [
        removed.length === 0
          ? 'Removed nothing.'
          : `Removed ${removed.length} worktree${removed.length === 1 ? '' : 's'}: ${what}.`,
      ];
      const active = kept.filter((e) => e.status === 'active').length;
      const stays = kept.length - active;
      if (active > 0) lines.push(`${active} active (a running daemon's): left alone.`);
      if (stays > 0) lines.push(`${stays} kept for inspection: left alone (--all removes them too).`);
      process.stdout.write(`${lines.join('\n')}\n`);
    });
  withExamples(workspaces, [['codex-monitor workspaces ls']]);
}
