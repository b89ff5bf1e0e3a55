/**
 * The shell executor: runs a task's command (never through a shell) as its own process
 * group, with an allow-list of programs, a timeout, stdout/stderr in files and a result
 * record under the attempt's artifacts directory.
 *
 * Each attempt runs in a fresh directory of its own under the workspaces root, never in the
 * daemon's working directory: that one may hold the daemon's `.env` with its GitHub token.
 */
import { closeSync, mkdirSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { type Clock, systemClock } from '../../core/clock.js';
import { errorMessage, InputError } from '../../core/errors.js';
import type { ShellPayload } from '../../core/payload.js';
import type { ExecutionHooks, ExecutionRequest, ExecutionResult, Executor } from '../executor.js';
import { type GroupExit, runInProcessGroup } from '../process-group.js';
import { writeResult } from '../result-record.js';
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

export const STDOUT_FILE = 'stdout.log';
export const STDERR_FILE = 'stderr.log';
/** How much of stderr.log's end is read for the failure line. */
const STDERR_TAIL_BYTES = 8192;
const MAX_ERROR_LINE = 200;

type Ended = Omit<ExecutionResult, 'durationMs'> & { signal?: string | null };

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
  async run(
    request: ExecutionRequest,
    signal: AbortSignal,
    hooks?: ExecutionHooks,
  ): Promise<ExecutionResult> {
    const startedAt = this.clock.now();
    const started = this.clock.monotonic();
    mkdirSync(request.artifactsDir, { recursive: true });
    let argv: string[] | null = null;
    let ended: Ended;
    try {
      if (request.payload.kind !== 'shell') {
        throw new InputError(`The shell executor got a "${request.payload.kind}" payload`);
      }
      argv = toArgv(request.payload);
      ended = await this.execute(request, request.payload, argv, signal, hooks);
    } catch (error) {
      ended = { outcome: 'failed', error: errorMessage(error), exitCode: null };
    }
    const durationMs = Math.round(this.clock.monotonic() - started);
    return writeResult(
      request,
      'shell',
      argv,
      { ...ended, durationMs },
      { startedAt, endedAt: this.clock.now() },
    );
  }

  /**
   * The attempt's fresh working directory: `<workspaces root>/<task>/<epoch>`, named as its
   * artifacts directory is (one safe naming serves both: two plain path components), and
   * emptied if a crashed run left one behind.
   */
  private workspaceFor(request: ExecutionRequest): string {
    const epochDir = resolve(request.artifactsDir);
    const dir = join(this.options.workspacesRoot, basename(dirname(epochDir)), basename(epochDir));
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  private async execute(
    request: ExecutionRequest,
    payload: ShellPayload,
    argv: string[],
    signal: AbortSignal,
    hooks: ExecutionHooks | undefined,
  ): Promise<Ended> {
    const program = argv[0]!;
    const cwd = request.workdir ?? this.workspaceFor(request);
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

/** The last non-empty line of the file's tail, trimmed to MAX_ERROR_LINE characters. */
function lastStderrLine(path: string): string | undefined {
  try {
    const size = statSync(path).size;
    const length = Math.min(size, STDERR_TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    const fd = openSync(path, 'r');
    try {
      readSync(fd, buffer, 0, length, size - length);
    } finally {
      closeSync(fd);
    }
    const lines = buffer.toString('utf8').split(/\r?\n/);
    const line = lines.reverse().find((l) => l.trim() !== '');
    return line === undefined ? undefined : line.trim().slice(0, MAX_ERROR_LINE);
  } catch {
    return undefined;
  }
}
