/**
 * Doctor's checks that need no GitHub: the executor (configured, and its program found on
 * PATH and allowed), and on the local board the state directory and the tasks to run.
 */
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Check } from '../../boards/github/doctor.js';
import type { Config } from '../../config/config.js';
import { errorMessage } from '../../core/errors.js';
import { checkProgram, splitCommandLine } from '../../executors/index.js';
import type { TaskView } from '../../state/tasks/task-rows.js';

/** Where programs are looked up: the daemon's PATH and working directory. */
export interface ProgramWhere {
  path: string | undefined;
  cwd: string;
}

/**
 * The executor GitHub issues get: `problem` is the configuration's refusal (EXECUTOR=shell
 * without EXECUTOR_COMMAND), reported here rather than refusing the whole doctor.
 */
export function executorCheck(config: Config, problem: string | undefined, where: ProgramWhere): Check {
  const name = `executor (EXECUTOR=${config.executor.kind})`;
  if (problem !== undefined) return { name, ok: false, detail: problem };
  const { kind, command, allowlist } = config.executor;
  if (kind === 'noop')
    return { name, ok: true, warn: true, detail: 'attempts do nothing: for trying the board out' };
  if (kind === 'shell' && command === undefined) {
    return {
      name,
      ok: true,
      detail: 'the local board runs each task’s own payload (EXECUTOR applies to GitHub issues)',
    };
  }
  // A custom preset's program is EXECUTOR_COMMAND's first word, as a shell command's is.
  let program: string | undefined = kind;
  if (kind === 'shell' || kind === 'custom') {
    try {
      program = splitCommandLine(command ?? '')[0];
    } catch (error) {
      return { name, ok: false, detail: `EXECUTOR_COMMAND: ${errorMessage(error)}` };
    }
  }
  if (program === undefined)
    return { name, ok: false, detail: 'EXECUTOR_COMMAND is empty: set the command to run' };
  const found = checkProgram(program, allowlist, where);
  return found.ok
    ? { name, ok: true, detail: `${program} is ${found.file}` }
    : { name, ok: false, detail: found.error };
}

/**
 * The local board's tasks (none when the state directory does not exist yet) and the programs
 * their shell payloads (and mcp-call servers) start, each found on PATH and allowed by EXECUTOR_ALLOWLIST.
 */
export function localTaskChecks(config: Config, tasks: readonly TaskView[], where: ProgramWhere): Check[] {
  const checks: Check[] = [
    tasks.length > 0
      ? { name: 'local board tasks', ok: true, detail: `${tasks.length} task(s)` }
      : {
          name: 'local board tasks',
          ok: true,
          warn: true,
          detail:
            'no tasks yet: seed them from a DAG file (codex-monitor tasks seed examples/dag.yaml, or run --seed <dag.yaml>) or add one (codex-monitor tasks add)',
        },
  ];
  const programs = new Set<string>();
  for (const task of tasks) {
    const payload = task.payload as {
      kind?: string;
      cmd?: string | string[];
      server?: string | string[];
    } | null;
    // A shell task's command, and an mcp-call task's server, are started under the allow-list.
    const command =
      payload?.kind === 'shell' ? payload.cmd : payload?.kind === 'mcp-call' ? payload.server : undefined;
    if (command === undefined) continue;
    const program = Array.isArray(command) ? command[0] : splitCommandLine(command)[0];
    if (program !== undefined) programs.add(program);
  }
  for (const program of [...programs].sort()) {
    const found = checkProgram(program, config.executor.allowlist, where);
    checks.push(
      found.ok
        ? { name: `task program ${program}`, ok: true, detail: found.file }
        : { name: `task program ${program}`, ok: false, detail: found.error },
    );
  }
  return checks;
}

/** The state directory exists and is writable, or can be created. */
export function stateDirCheck(dir: string): Check {
  const name = 'state directory';
  // The nearest directory that exists is the one that must let us write (create the rest).
  let probe = dir;
  while (!existsSync(probe) && dirname(probe) !== probe) probe = dirname(probe);
  try {
    accessSync(probe, constants.W_OK | constants.X_OK);
    return { name, ok: true, detail: `${dir} is writable` };
  } catch (error) {
    return {
      name,
      ok: false,
      detail: `${dir}: not writable (${errorMessage(error)}); set CODEX_MONITOR_STATE_DIR`,
    };
  }
}
