/**
 * The one way codex-monitor runs git: `execFile` (never a shell), a controlled environment,
 * bounded output, a timeout and an AbortSignal that stop git, and a typed error whose text is
 * redacted. Arguments are argv entries, so untrusted values (titles, refs written by others)
 * are never parsed by a shell; secrets never go in argv (see credentials.ts).
 */
import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import { CodexMonitorError, type ErrorCode } from '../core/errors.js';
import { redactUrl } from '../core/redact.js';
import { signalGroup } from './signal-group.js';

/** Variables passed through from the daemon's own environment; everything else is dropped. */
const PASSED_THROUGH = [
  'PATH',
  'HOME',
  // The user's own credentials, unchanged: an ssh agent, a custom ssh command, the XDG config
  // dir where git may keep its config, and the session bus some credential helpers talk to.
  'SSH_AUTH_SOCK',
  'GIT_SSH',
  'GIT_SSH_COMMAND',
  'XDG_CONFIG_HOME',
  'XDG_RUNTIME_DIR',
  'DBUS_SESSION_BUS_ADDRESS',
] as const;

/** Longest stdout kept in memory; git's answers here are short (shas, ref lists, porcelain). */
const MAX_OUTPUT_BYTES = 8 * 1024 * 1024;
/** Longest stderr quoted in an error. */
const MAX_STDERR_CHARS = 2000;

export interface RunGitOptions {
  /** Directory git runs in (the repository or a worktree). */
  cwd: string;
  /** Extra variables (GIT_ASKPASS, identities); they override the controlled base. */
  env?: Readonly<Record<string, string>>;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Written to git's stdin (a commit message: data, never argv). */
  input?: string;
  /** Exit codes that are answers rather than failures (`git diff --quiet` → 1). Default [0]. */
  okCodes?: readonly number[];
}

export interface GitResult {
  stdout: string;
  /** stdout as git wrote it: for output whose sizes are counted in bytes (`cat-file --batch`). */
  stdoutBytes: Buffer;
  stderr: string;
  exitCode: number;
}

/** The base environment of every git call, from `source` (default: this process's). */
export function gitBaseEnv(source: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASSED_THROUGH) {
    const value = source[name];
    if (value !== undefined) env[name] = value;
  }
  // English messages (stable porcelain is parsed, but humans read the stderr we quote), and
  // never a prompt on a terminal: a daemon has nobody to answer it.
  env.LANG = 'C';
  env.LC_ALL = 'C';
  env.GIT_TERMINAL_PROMPT = '0';
  return env;
}

export type GitErrorCode = Extract<ErrorCode, 'GIT_FAILED' | 'GIT_TIMEOUT' | 'GIT_ABORTED'>;

/** git failed, timed out or was stopped. `stderr` is trimmed and redacted. */
export class GitError extends CodexMonitorError {
  constructor(
    code: GitErrorCode,
    /** The git subcommand (`push`, `worktree`, …). */
    readonly subcommand: string,
    /** git's exit code, or null when it did not exit by itself (killed, not started). */
    readonly exitCode: number | null,
    readonly stderr: string,
    readonly cwd: string,
    what: string,
    options?: ErrorOptions,
  ) {
    super(code, redactUrl(`git ${subcommand} in ${cwd} ${what}${stderr ? `: ${stderr}` : ''}`), options);
  }
}

/** The subcommand of an argv (the first entry that is not a `-c key=value` pair or option). */
function subcommandOf(args: readonly string[]): string {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '-c' || arg === '-C') i++;
    else if (!arg.startsWith('-')) return arg;
  }
  return '(none)';
}

function trimStderr(stderr: string): string {
  const text = redactUrl(stderr.trim());
  return text.length > MAX_STDERR_CHARS ? `…${text.slice(-MAX_STDERR_CHARS)}` : text;
}

/** Collects a stream's text up to MAX_OUTPUT_BYTES; calls `onOverflow` once past it. */
function boundedCollector(stream: Readable, onOverflow: () => void): { bytes(): Buffer; text(): string } {
  const chunks: Buffer[] = [];
  let size = 0;
  stream.on('data', (chunk: Buffer) => {
    if (size > MAX_OUTPUT_BYTES) return;
    size += chunk.length;
    if (size > MAX_OUTPUT_BYTES) onOverflow();
    else chunks.push(chunk);
  });
  const bytes = () => Buffer.concat(chunks);
  return { bytes, text: () => bytes().toString('utf8') };
}

/** How long git has after SIGTERM (to remove its lock files) before SIGKILL. */
const KILL_GRACE_MS = 2000;

/**
 * Runs `git <args>` in `cwd`. Resolves with its output when the exit code is in `okCodes`;
 * rejects with a GitError otherwise: GIT_TIMEOUT after `timeoutMs`, GIT_ABORTED when `signal`
 * aborts. git runs in its own process group, and a stop signals the whole group (SIGTERM,
 * then SIGKILL): its helpers (ssh, remote-https, hooks) hold its output pipes and must go too.
 */
export function runGit(args: readonly string[], options: RunGitOptions): Promise<GitResult> {
  const { cwd, timeoutMs, signal, input } = options;
  const okCodes = options.okCodes ?? [0];
  const subcommand = subcommandOf(args);
  const env = { ...gitBaseEnv(), ...options.env };
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new GitError('GIT_ABORTED', subcommand, null, '', cwd, 'was not started (aborted)'));
      return;
    }
    let stopped: 'timeout' | 'abort' | 'overflow' | null = null;
    let killTimer: NodeJS.Timeout | undefined;
    const stop = (why: 'timeout' | 'abort' | 'overflow') => {
      if (stopped !== null || child.pid === undefined) return;
      stopped = why;
      signalGroup(child.pid, 'SIGTERM');
      const pid = child.pid;
      killTimer = setTimeout(() => signalGroup(pid, 'SIGKILL'), KILL_GRACE_MS);
    };
    const onAbort = () => stop('abort');
    const timer = setTimeout(() => stop('timeout'), timeoutMs);
    const child = spawn('git', args, { cwd, env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout = boundedCollector(child.stdout, () => stop('overflow'));
    const stderr = boundedCollector(child.stderr, () => {});
    const finish = (exitCode: number | null, spawnError?: Error) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      signal?.removeEventListener('abort', onAbort);
      if (stopped === null && exitCode !== null && okCodes.includes(exitCode)) {
        const bytes = stdout.bytes();
        resolve({ stdout: bytes.toString('utf8'), stdoutBytes: bytes, stderr: stderr.text(), exitCode });
        return;
      }
      const text = trimStderr(stderr.text());
      const fail = (code: GitErrorCode, what: string, exit: number | null = null) =>
        reject(new GitError(code, subcommand, exit, text, cwd, what, { cause: spawnError }));
      if (stopped === 'abort') fail('GIT_ABORTED', 'was stopped (aborted)');
      else if (stopped === 'timeout') fail('GIT_TIMEOUT', `did not finish within ${timeoutMs} ms`);
      else if (stopped === 'overflow')
        fail('GIT_FAILED', `wrote more than ${MAX_OUTPUT_BYTES} bytes and was stopped`);
      else if (spawnError)
        fail('GIT_FAILED', `could not be started (${spawnError.message})`); // no git, no cwd
      else if (exitCode === null) fail('GIT_FAILED', 'was killed by a signal');
      else fail('GIT_FAILED', `exited with ${exitCode}`, exitCode);
    };
    child.once('error', (error) => finish(null, error));
    child.once('close', (code) => finish(code));
    signal?.addEventListener('abort', onAbort, { once: true });
    // EPIPE when git exits before reading all of stdin: its exit code says what happened.
    child.stdin?.on('error', () => {});
    child.stdin?.end(input ?? '');
  });
}
