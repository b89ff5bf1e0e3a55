import type { Command } from 'commander';
import {
  DISPLAYED_STATES,
  type ListedTask,
  listDisplayed,
  parseDisplayedState,
} from '../../state/displayed-state.js';
import { type GlobalOptions, openContext } from '../context.js';
import { subcommand, withExamples } from '../examples.js';
import { coloursFor } from '../output/colour.js';
import { duration, printJson, table } from '../output/format.js';

export function registerStateCommands(program: Command): void {
  const state = program.command('state').description("inspect this workstation's shared state");
  withExamples(state, [['codex-monitor state ls --state claimed']]);
  state
    .command('ls')
    .description('list tasks with their claim, lease and retry state')
    .option('--state <state>', `only tasks in this state (${DISPLAYED_STATES.join(', ')})`)
    .option('--owner <id>', 'only tasks claimed by this owner')
    .option('--json', 'print JSON')
    .action((opts: { state?: string; owner?: string; json?: boolean }, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const wanted = opts.state === undefined ? undefined : parseDisplayedState(opts.state);
      using ctx = openContext(globals, { readOnly: true });
      const tasks = listDisplayed(ctx.store, opts.owner ? { ownerId: opts.owner } : {}, wanted);
      if (opts.json || globals.json) return printJson(tasks);
      if (tasks.length === 0) return void process.stdout.write('No tasks.\n');
      const now = Date.now();
      process.stdout.write(
        `${table(
          ['TASK', 'STATE', 'OWNER', 'ATTEMPT', 'RETRIES', 'HEARTBEAT', 'NOTE'],
          tasks.map((t) => row(t, now)),
          coloursFor(process.stdout),
        )}\n`,
      );
    });
  withExamples(subcommand(state, 'ls'), [
    ['codex-monitor state ls --owner ws1/codex --json', "one owner's claims, as JSON"],
  ]);
}

function row(t: ListedTask, now: number) {
  const notes: string[] = [];
  if (t.state === 'blocked') notes.push(`waits on ${t.waitingOn.join(', ')}`);
  if (t.ignored) notes.push(`ignored: ${t.ignoreReason ?? ''}`);
  if (t.state === 'failed' && t.nextAttemptAt > now)
    notes.push(`retry in ${duration(t.nextAttemptAt - now)}`);
  if (t.lastError && t.state !== 'done') notes.push(t.lastError);
  return [
    t.id,
    t.state,
    t.state === 'claimed' ? t.ownerId : null,
    t.attempt || null,
    t.retryCount,
    t.state === 'claimed' && t.heartbeatAt ? `${duration(now - t.heartbeatAt)} ago` : null,
    notes.join('; ') || null,
  ];
}
