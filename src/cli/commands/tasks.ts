import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseDag } from '../../boards/local/dag.js';
import { resetOrExplain } from '../../boards/local/local-steering.js';
import { addTask, seedTasks } from '../../boards/local/seed.js';
import { InputError } from '../../core/errors.js';
import { DISPLAYED_STATES, listDisplayed, parseDisplayedState } from '../../state/displayed-state.js';
import type { SharedState } from '../../state/shared-state.js';
import { type GlobalOptions, openContext } from '../context.js';
import { subcommand, withExamples } from '../examples.js';
import { wantsJson } from '../json-mode.js';
import { coloursFor } from '../output/colour.js';
import { duration, printJson, table } from '../output/format.js';
import { terminalText } from '../output/terminal-safe.js';

/** Reads, validates and seeds a DAG file; reports what changed through `say`. */
export function seedFromFile(store: SharedState, file: string, say: (line: string) => void) {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`Cannot read the DAG file ${file}: ${(error as Error).message}`);
  }
  const knownIds = new Set(store.list({ source: 'local' }).map((t) => t.id));
  const { tasks, warnings } = parseDag(text, { source: file, knownIds });
  for (const w of warnings) say(`warning: ${w}`);
  const report = seedTasks(store, tasks, { now: Date.now(), source: file });
  say(
    `Seeded ${file}: ${report.added.length} added, ${report.updated.length} updated, ${report.unchanged.length} unchanged, ` +
      `${report.finishedLeftAlone.length} finished left alone, ${report.notInFile.length} on the board but not in the file.`,
  );
  return report;
}

export function registerTaskCommands(program: Command): void {
  const tasks = program
    .command('tasks')
    .description('the embedded local board: seed, list, add and reset tasks');

  tasks
    .command('seed <dag.yaml>')
    .description(
      'create or update tasks from a YAML DAG (done tasks are never touched; nothing is written on error)',
    )
    .option('--json', 'print the seed report as JSON')
    .action((file: string, opts: { json?: boolean }, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      using ctx = openContext(globals);
      const json = opts.json || globals.json;
      const report = seedFromFile(ctx.store, file, (line) => {
        if (!json) process.stdout.write(`${line}\n`);
      });
      if (json) printJson(report);
    });

  tasks
    .command('ls')
    .description('list the local board')
    .option('--agent <name>', 'only tasks for this capability')
    .option('--state <state>', `only tasks in this state (${DISPLAYED_STATES.join(', ')})`)
    .option('--json', 'print JSON')
    .action((opts: { agent?: string; state?: string; json?: boolean }, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const state = opts.state === undefined ? undefined : parseDisplayedState(opts.state);
      using ctx = openContext(globals, { readOnly: true });
      // `blocked`: ready but waiting on a dependency that is not done (never a stored state).
      const list = listDisplayed(
        ctx.store,
        { source: 'local', ...(opts.agent ? { agent: opts.agent } : {}) },
        state,
      );
      if (opts.json || globals.json) return printJson(list);
      if (list.length === 0)
        return void process.stdout.write('No tasks. Seed some: codex-monitor tasks seed <dag.yaml>\n');
      const now = Date.now();
      const rows = list.map((t) => [
        t.id,
        t.state + (t.ignored ? ' (ignored)' : ''),
        t.agent,
        t.priority,
        t.deps.join(',') || null,
        t.retryCount,
        t.state === 'blocked'
          ? `waits on ${t.waitingOn.join(', ')}`
          : t.state === 'failed' && t.nextAttemptAt > now
            ? `retry in ${duration(t.nextAttemptAt - now)}`
            : t.lastError,
      ]);
      const headers = ['TASK', 'STATE', 'AGENT', 'PRIO', 'DEPS', 'RETRIES', 'NOTE'];
      process.stdout.write(`${table(headers, rows, coloursFor(process.stdout))}\n`);
    });

  tasks
    .command('add <id>')
    .description('add one task to the local board')
    .option('--title <text>', 'title (default: the id)')
    .option('--agent <name>', 'capability needed to run it')
    .option('--deps <ids>', 'comma-separated ids it depends on')
    .option('--priority <n>', 'higher runs first', (v) => Number.parseInt(v, 10))
    .option('--shell <command>', 'run this command (its program must be in EXECUTOR_ALLOWLIST)')
    .option(
      '--mcp-server <command>',
      'call a tool of this MCP server (stdio; its program must be in EXECUTOR_ALLOWLIST)',
    )
    .option('--tool <name>', 'with --mcp-server: the tool to call')
    .option('--arguments <json>', "with --mcp-server: the tool's arguments, a JSON object")
    .option('--timeout <duration>', 'time limit of a shell or mcp-call attempt, e.g. 90s or 10m')
    .option('--duration <duration>', 'how long a noop task takes, e.g. 2s')
    .option('--json', 'print the added task as JSON')
    .action((id: string, opts: Record<string, string | number | undefined>, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      using ctx = openContext(globals);
      const payload = opts.mcpServer
        ? mcpCallInput(opts)
        : opts.shell
          ? {
              kind: 'shell',
              cmd: opts.shell,
              ...(opts.timeout ? { timeout: String(opts.timeout) } : {}),
            }
          : {
              kind: 'noop',
              ...(opts.duration ? { duration: String(opts.duration) } : {}),
            };
      const input = {
        id,
        ...(opts.title ? { title: opts.title } : {}),
        ...(opts.agent ? { agent: opts.agent } : {}),
        ...(opts.deps
          ? {
              deps: String(opts.deps)
                .split(',')
                .map((d) => d.trim())
                .filter(Boolean),
            }
          : {}),
        ...(opts.priority !== undefined ? { priority: opts.priority } : {}),
        payload,
      };
      const { task, warnings } = addTask(ctx.store, input, { now: Date.now(), source: 'tasks add' });
      for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
      if (wantsJson(cmd)) printJson(task);
      else process.stdout.write(`Added ${terminalText(task.id)} (${task.payload.kind}).\n`);
    });

  tasks
    .command('reset <id>')
    .description('make a task ready again with a fresh retry budget (also a done one)')
    .option('--json', 'print the result as JSON')
    .action((id: string, _opts: unknown, cmd: Command) => {
      using ctx = openContext(cmd.optsWithGlobals<GlobalOptions>());
      resetOrExplain(ctx.store, id, { includeDone: true });
      const message = `Reset ${id}: ready.`;
      if (wantsJson(cmd)) printJson({ task: id, action: 'reset', changed: true, message, state: 'ready' });
      else process.stdout.write(`${terminalText(message)}\n`);
    });

  withExamples(tasks, [['codex-monitor tasks seed examples/dag.yaml && codex-monitor tasks ls']]);
  withExamples(subcommand(tasks, 'seed'), [
    ['codex-monitor tasks seed examples/dag.yaml', 'create or update the tasks of a DAG file'],
  ]);
  withExamples(subcommand(tasks, 'ls'), [['codex-monitor tasks ls --state ready --json']]);
  withExamples(subcommand(tasks, 'add'), [
    ['codex-monitor tasks add lint --shell "npm run lint" --timeout 10m --deps setup'],
    ['codex-monitor tasks add smoke --duration 2s --json', 'a noop task, printed as JSON'],
    [
      `codex-monitor tasks add echo --mcp-server 'node server.mjs' --tool echo --arguments '{"text":"hi"}'`,
      'call one tool of a local MCP server',
    ],
  ]);
  withExamples(subcommand(tasks, 'reset'), [['codex-monitor tasks reset publish --json']]);
}

/**
 * The mcp-call payload `tasks add --mcp-server` describes, as a DAG entry would write it: the
 * board validates it as it validates a seeded one (a missing --tool is reported there).
 */
function mcpCallInput(opts: Record<string, string | number | undefined>): Record<string, unknown> {
  if (opts.shell !== undefined) {
    throw new InputError(
      '--shell and --mcp-server both given: a task runs a command or calls a tool; drop one',
    );
  }
  let args: unknown;
  if (opts.arguments !== undefined) {
    try {
      args = JSON.parse(String(opts.arguments));
    } catch (error) {
      throw new InputError(
        `--arguments ${JSON.stringify(opts.arguments)} is not JSON (${(error as Error).message}); give an object, e.g. --arguments '{"text": "hi"}'`,
      );
    }
  }
  return {
    kind: 'mcp-call',
    server: opts.mcpServer,
    ...(opts.tool === undefined ? {} : { tool: opts.tool }),
    ...(args === undefined ? {} : { arguments: args }),
    ...(opts.timeout ? { timeout: String(opts.timeout) } : {}),
  };
}
