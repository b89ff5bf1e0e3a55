import type { Command } from 'commander';
import { systemClock } from '../../core/clock.js';
import { EVENT_TYPES, type EventQuery, type EventType } from '../../state/event-log.js';
import { replayTask } from '../../state/replay.js';
import { type GlobalOptions, openContext } from '../context.js';
import { subcommand, withExamples } from '../examples.js';
import { wantsJson } from '../json-mode.js';
import { requireKnownTask } from '../known-ids.js';
import { isClosedPipe } from '../output/closed-pipe.js';
import { eventJson, eventTable, followEvents } from '../output/event-output.js';
import { isoTime, printJson, table } from '../output/format.js';
import { parsePositiveInt, parseSince } from '../parse.js';

interface FilterOptions {
  task?: string;
  owner?: string;
  type?: string[];
  since?: string;
  limit?: number;
  follow?: boolean;
}

/** `events export -` writes to stdout (as `-` means for most Unix tools). */
const STDOUT = '-';

export function registerEventCommands(program: Command): void {
  const events = program
    .command('events')
    .description('query the audit event log (newest last)')
    .option('--task <id>', 'only events of this task')
    .option('--owner <id>', 'only events of this owner')
    .option('--type <type...>', `only these types (${EVENT_TYPES.join(', ')})`)
    .option('--since <when>', 'only events since a time (ISO) or a duration ago (15m, 2h, 7d)')
    .option('--limit <n>', 'at most the newest n events', parsePositiveInt, 200)
    .option('--follow', 'then print new events as they are appended, until Ctrl-C')
    .option('--json', 'print JSON (times in ISO 8601; with --follow one object per line)')
    .action(async (opts: FilterOptions, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const query = toQuery(opts, cmd);
      const json = wantsJson(cmd);
      using ctx = openContext(globals, { readOnly: true });
      if (opts.task) requireKnownTask(ctx.store, opts.task);
      const found = ctx.store.events.query({ ...query, newestFirst: true, limit: opts.limit! }).reverse();
      if (opts.follow) {
        await followEvents(ctx.store.events, query, found, { json, clock: systemClock() });
        return;
      }
      if (json) return printJson(found.map(eventJson));
      process.stdout.write(found.length ? `${eventTable(found)}\n` : 'No events.\n');
    });

  events
    .command('replay <task>')
    .description("replay one task's events, showing the state after each")
    .option('--json', 'print JSON')
    .action((taskId: string, _opts: unknown, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      using ctx = openContext(globals, { readOnly: true });
      requireKnownTask(ctx.store, taskId);
      const steps = replayTask(ctx.store.events.query({ taskId }));
      if (wantsJson(cmd)) return printJson(steps.map((s) => ({ ...s, event: eventJson(s.event) })));
      if (steps.length === 0) return void process.stdout.write(`No events for task ${taskId}.\n`);
      const rows = steps.map(({ event, after }) => [
        isoTime(event.at),
        event.type,
        event.ownerId,
        after.state,
        after.epoch,
        after.retryCount,
        after.ignored ? 'ignored' : null,
      ]);
      process.stdout.write(`${table(['TIME', 'EVENT', 'BY', 'STATE', 'EPOCH', 'RETRIES', 'FLAG'], rows)}\n`);
      const row = ctx.store.get(taskId);
      const end = steps.at(-1)!.after;
      if (row && (row.state !== end.state || row.retryCount !== end.retryCount)) {
        process.stdout.write(
          `Note: the log ends in ${end.state}/${end.retryCount} retries but the task is ${row.state}/${row.retryCount}: ` +
            'older events were pruned by retention.\n',
        );
      }
    });

  events
    .command('export <file>')
    .description(
      'write events as JSON lines (one object per line) to a file, or to stdout with -; takes the filters of `events`',
    )
    .option('--json', 'print {file, count} as JSON (with - the JSON lines are the output)')
    .action(async (file: string, _opts: unknown, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions & FilterOptions>();
      const query = toQuery(globals, cmd);
      using ctx = openContext(globals, { readOnly: true });
      if (globals.task) requireKnownTask(ctx.store, globals.task); // before the file is written
      if (file === STDOUT) {
        // The events are the output: no summary line to mix into it. A reader that stops
        // early (`| head`) ends the export quietly.
        await ctx.store.events.exportJsonl(process.stdout, query, eventJson).catch((error: unknown) => {
          if (!isClosedPipe(error)) throw error;
        });
        return;
      }
      const count = await ctx.store.events.exportJsonl(file, query, eventJson);
      if (wantsJson(cmd)) printJson({ file, count });
      else process.stdout.write(`Wrote ${count} events to ${file}\n`);
    });

  events
    .command('stats')
    .description('count events by type, with the time span the log covers')
    .option('--json', 'print JSON')
    .action((_opts: unknown, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      using ctx = openContext(globals, { readOnly: true });
      const stats = ctx.store.events.stats();
      if (wantsJson(cmd)) {
        const span = {
          oldest: stats.oldest && isoTime(stats.oldest),
          newest: stats.newest && isoTime(stats.newest),
        };
        return printJson({ ...stats, ...span });
      }
      const rows = Object.entries(stats.byType).map(([type, n]) => [type, n]);
      process.stdout.write(
        `${stats.total} events from ${isoTime(stats.oldest)} to ${isoTime(stats.newest)}\n${table(['TYPE', 'COUNT'], rows)}\n`,
      );
    });

  withExamples(events, [
    ['codex-monitor events --task publish --since 2h', "a task's last two hours"],
    ['codex-monitor events --type failed poisoned --follow --json', 'failures as they happen, as JSON lines'],
  ]);
  withExamples(subcommand(events, 'replay'), [['codex-monitor events replay publish']]);
  withExamples(subcommand(events, 'export'), [
    ['codex-monitor events export events.jsonl --since 7d'],
    ['codex-monitor events export - --type failed | jq -c .data', 'to stdout'],
  ]);
  withExamples(subcommand(events, 'stats'), [['codex-monitor events stats --json']]);
}

function toQuery(opts: FilterOptions, cmd: Command): EventQuery {
  const unknown = (opts.type ?? []).filter((t) => !EVENT_TYPES.includes(t as EventType));
  if (unknown.length > 0)
    cmd.error(`error: unknown event type ${unknown.join(', ')}; known: ${EVENT_TYPES.join(', ')}`);
  return {
    ...(opts.task ? { taskId: opts.task } : {}),
    ...(opts.owner ? { ownerId: opts.owner } : {}),
    ...(opts.type ? { types: opts.type as EventType[] } : {}),
    ...(opts.since ? { since: parseSince(opts.since, Date.now()) } : {}),
  };
}
