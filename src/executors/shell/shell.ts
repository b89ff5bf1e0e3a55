/**
 * The shell executor: runs a task's command (never through a shell) as its own process
 * group, with an allow-list of programs, a timeout, stdout/stderr in files and a result
 * record under the attempt's artifacts directory.
 *
 * Each attempt runs in a fresh directory of its own under the workspaces root, never in the
 * daemon's working directory: that one may hold the daemon's `.env` with its GitHub token.
 */
import { closeSync, openSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type Clock, systemClock } from '../../core/clock.js';
import { InputError } from '../../core/errors.js';
import type { ShellPayload } from '../../core/payload.js';
import { freshWorkspace, lastStderrLine, STDERR_FILE, STDOUT_FILE } from '../attempt-files.js';
import type { ExecutionHooks, ExecutionRequest, ExecutionResult, Executor } from '../executor.js';
import { type GroupExit, runInProcessGroup } from '../process-group.js';
import { type AttemptEnd, recordedRun } from '../result-record.js';
import { toArgv } from './command-line.js';
import { attemptEnvironment } from './environment.js';
import { checkProgram } from './program-path.js';

export interface ShellExecutorOptions {
  /** Programs that may be started (see program-path.ts for the matching rule). */
  allowlist: string[];
  /** Time limit when the payload sets none. */
  defaultTimeoutMs: number;
  /** Between SIGTERM and SIGKILL to the attempt's process group. */
  killGraceMs: number;
  /**
   * Where each attempt gets its working directory, `<root>/<task>/<epoch>` (the same two
   * names as its artifacts directory), created empty. Given to the command as its cwd and as
   * CODEX_MONITOR_WORKSPACE.
   */
  workspacesRoot: string;
  /** Environment to take the allow-listed names from (default: process.env). */
  baseEnv?: NodeJS.ProcessEnv;
  /** Further names to pass on (EXECUTOR_ENV_PASSTHROUGH), e.g. an agent CLI's own credential. */
  passthroughEnv?: string[];
  clock?: Clock;
}

// Where they always were: logs and delivery import them from here.
export { STDERR_FILE, STDOUT_FILE };

export class ShellExecutor implements Executor {
  private readonly clock: Clock;

  constructor(private readonly options: ShellExecutorOptions) {
    this.clock = options.clock ?? systemClock();
  }

  /**
   * Runs the attempt. Every problem of the command (refused, unparsable, cannot start,
   * non-zero exit, timeout) resolves `failed`; the signal resolves `aborted` within the kill
   * grace. Rejects only when the artifacts directory cannot be written.
   */
  run(request: ExecutionRequest, signal: AbortSignal, hooks?: ExecutionHooks): Promise<ExecutionResult> {
    return recordedRun(request, 'shell', this.clock, (setArgv) => {
      if (request.payload.kind !== 'shell') {
        throw new InputError(`The shell executor got a "${request.payload.kind}" payload`);
      }
      const argv = toArgv(request.payload);
      setArgv(argv);
      return this.execute(request, request.payload, argv, signal, hooks);
    });
  }

  private async execute(
    request: ExecutionRequest,
    payload: ShellPayload,
    argv: string[],
    signal: AbortSignal,
    hooks: ExecutionHooks | undefined,
  ): Promise<AttemptEnd> {
    const program = argv[0]!;
    const cwd = request.workdir ?? freshWorkspace(this.options.workspacesRoot, request.artifactsDir);
    const env = attemptEnvironment(
      request,
      this.options.baseEnv ?? process.env,
      this.options.passthroughEnv,
      cwd,
    );
    // Refused before anything is started.
    const checked = checkProgram(program, this.options.allowlist, { path: env.PATH, cwd });
    if (!checked.ok) return { outcome: 'failed', error: checked.error, exitCode: null };
    if (signal.aborted) return { outcome: 'aborted', exitCode: null };

    const timeoutMs = payload.timeoutMs ?? this.options.defaultTimeoutMs;
    const stderrPath = join(request.artifactsDir, STDERR_FILE);
    const fds: number[] = [];
    let exit: GroupExit;
    try {
      const stdin = payload.stdinFile === undefined ? 'ignore' : openStdin(resolve(cwd, payload.stdinFile));
      if (stdin !== 'ignore') fds.push(stdin);
      const stdout = openSync(join(request.artifactsDir, STDOUT_FILE), 'w');
      fds.push(stdout);
      const stderr = openSync(stderrPath, 'w');
      fds.push(stderr);
      const running = runInProcessGroup({
        file: checked.file,
        argv,
        cwd,
        env,
        stdio: [stdin, stdout, stderr],
        timeoutMs,
        killGraceMs: this.options.killGraceMs,
        signal,
        onSpawn: (pid) => hooks?.onSpawn?.(pid),
      });
      // The child holds its own copies now (spawn duplicated them synchronously).
      closeAll(fds);
      exit = await running;
    } finally {
      closeAll(fds);
    }

    if (exit.kind === 'spawn-error') {
      return { outcome: 'failed', error: `cannot start "${program}": ${exit.code}`, exitCode: null };
    }
    const base = { exitCode: exit.exitCode, signal: exit.signal };
    if (exit.stoppedBy === 'abort') return { ...base, outcome: 'aborted' };
    if (exit.stoppedBy === 'timeout') {
      return { ...base, outcome: 'failed', error: `timed out after ${timeoutMs} ms` };
    }
    if (exit.exitCode === 0) return { ...base, outcome: 'complete' };
    if (exit.exitCode === null) return { ...base, outcome: 'failed', error: `killed by ${exit.signal}` };
    const line = lastStderrLine(stderrPath);
    const error = `exit code ${exit.exitCode}${line ? `: ${line}` : ''}`;
    return { ...base, outcome: 'failed', error };
  }
}

function openStdin(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (error) {
    throw new InputError(
      `cannot open stdin file "${path}": ${(error as NodeJS.ErrnoException).code ?? error}`,
    );
  }
}

function closeAll(fds: number[]): void {
  for (const fd of fds.splice(0)) {
    try {
      closeSync(fd);
    } catch {
      // Already closed: nothing to release.
    }
  }
}
