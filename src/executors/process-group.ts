/**
 * Starting a command as its own process group and stopping the whole group.
 *
 * Why a group: agents and build tools start children of their own (`sh -c`, npm, test
 * runners). Killing only our child would orphan them, still writing into the worktree after
 * the claim was released. `detached: true` makes the child a group leader (setsid), and the
 * group is signalled as a unit (`kill(-pgid)`), grandchildren included.
 *
 * The leader is the parent-death watchdog (group-watchdog.ts), which runs the command as its
 * child and kills the group if the daemon dies: an attempt never outlives its daemon.
 *
 * Why files and not pipes for stdout/stderr: the caller passes file descriptors, so no pipe
 * is held open by a grandchild that inherited it; the run settles when the leader exits and
 * the group is gone, never waiting for an EOF that a stray background process withholds.
 */
import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { groupHasLiveMembers } from '../host/process-liveness.js';
import { signalGroup } from '../host/signal-group.js';
import { parseWatchdogReport, watchdogArgv } from './group-watchdog.js';

export interface GroupRunOptions {
  /** The program as an absolute path (resolved by the caller), then its arguments. */
  file: string;
  argv: readonly string[];
  cwd?: string;
  env: Record<string, string>;
  /**
   * stdin ('ignore': /dev/null), stdout and stderr as open file descriptors; 'pipe' for a
   * conversation on stdin/stdout (an MCP server), whose ends `onPipes` receives. A pipe is
   * closed only when every member holding it has exited: the group is stopped by signal, as
   * with files, and a caller that pipes must stop it (abort) when the conversation is over.
   */
  stdio: [number | 'ignore' | 'pipe', number | 'pipe', number];
  /** The child's stdin and stdout when they are pipes; called right after the spawn. */
  onPipes?: (stdin: Writable | null, stdout: Readable | null) => void;
  timeoutMs: number;
  /** Between SIGTERM and SIGKILL to the group. */
  killGraceMs: number;
  signal: AbortSignal;
  onSpawn?: (pid: number) => void;
}

export type GroupExit =
  | { kind: 'spawn-error'; code: string }
  | {
      kind: 'exited';
      exitCode: number | null;
      signal: NodeJS.Signals | null;
      /** Why we stopped it, if we did. */
      stoppedBy: 'timeout' | 'abort' | null;
    };

/** setTimeout's limit: a longer delay would fire at once (TimeoutOverflowWarning). */
const MAX_DELAY = 2 ** 31 - 1;
const POLL_MS = 20;

/**
 * Runs `argv` (its program at `file`) as a new process group led by the watchdog. On timeout
 * or abort: SIGTERM to the group, SIGKILL after `killGraceMs`. When the command exits,
 * members it left behind get the same treatment: an attempt owns its group, and nothing in it
 * outlives the attempt. Settles once the watchdog has exited and the group is empty or has
 * been sent SIGKILL. Never rejects. `onSpawn` gets the leader's pid: the group's id.
 */
export function runInProcessGroup(options: GroupRunOptions): Promise<GroupExit> {
  const { argv, signal, killGraceMs } = options;
  return new Promise((resolve) => {
    let child: ReturnType<typeof spawn>;
    try {
      const [leader, ...leaderArgs] = watchdogArgv(options.file, argv[0]!, argv.slice(1));
      child = spawn(leader!, leaderArgs, {
        detached: true,
        shell: false,
        cwd: options.cwd,
        env: options.env,
        // fd 3: the watchdog's link to this process (see group-watchdog.ts).
        stdio: [...options.stdio, 'pipe'],
      });
    } catch (error) {
      // Synchronous failures: a NUL byte in an argument, an invalid cwd type, ...
      resolve({ kind: 'spawn-error', code: (error as NodeJS.ErrnoException).code ?? String(error) });
      return;
    }
    const pid = child.pid;
    if (pid === undefined) {
      // A missing cwd, ...: reported asynchronously by an 'error' event, with no pid.
      child.once('error', (error: NodeJS.ErrnoException) =>
        resolve({ kind: 'spawn-error', code: error.code ?? error.message }),
      );
      return;
    }
    let reported = '';
    const link = child.stdio[3] as Readable;
    link.setEncoding('utf8');
    link.on('data', (chunk: string) => {
      reported += chunk;
    });
    link.on('error', () => {}); // the watchdog died: its exit says how
    for (const hook of [() => options.onPipes?.(child.stdin, child.stdout), () => options.onSpawn?.(pid)]) {
      try {
        hook();
      } catch {
        // Bookkeeping only: a failing hook must not leave a child nobody waits for.
      }
    }

    let stoppedBy: 'timeout' | 'abort' | null = null;
    let killTimer: NodeJS.Timeout | undefined;
    let killSent = false;
    const terminate = () => {
      if (killTimer !== undefined) return;
      signalGroup(pid, 'SIGTERM');
      killTimer = setTimeout(
        () => {
          killSent = true;
          signalGroup(pid, 'SIGKILL');
        },
        Math.min(killGraceMs, MAX_DELAY),
      );
    };
    const stop = (reason: 'timeout' | 'abort') => {
      if (stoppedBy !== null) return;
      stoppedBy = reason;
      terminate();
    };
    const timeout = setTimeout(() => stop('timeout'), Math.min(options.timeoutMs, MAX_DELAY));
    const onAbort = () => stop('abort');
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) onAbort();

    // 'error' after a successful spawn only concerns signalling, which signalGroup handles.
    child.on('error', () => {});
    // 'close': the watchdog has exited and its link is drained, so its report is all here.
    child.once('close', (leaderCode: number | null, leaderSignal: NodeJS.Signals | null) => {
      clearTimeout(timeout);
      signal.removeEventListener('abort', onAbort);
      const report = parseWatchdogReport(reported);
      const done = () => {
        clearTimeout(killTimer);
        if (report !== null && 'spawnError' in report)
          resolve({ kind: 'spawn-error', code: report.spawnError });
        else {
          const { exitCode, signal: exitSignal } = report ?? { exitCode: leaderCode, signal: leaderSignal };
          resolve({ kind: 'exited', exitCode, signal: exitSignal, stoppedBy });
        }
      };
      const poll = () => {
        if (!groupHasLiveMembers(pid)) done();
        else if (killSent)
          setTimeout(done, POLL_MS); // SIGKILL cannot be ignored: a moment suffices
        else setTimeout(poll, POLL_MS);
      };
      if (groupHasLiveMembers(pid)) terminate();
      poll();
    });
  });
}

// Re-exported: the daemon kills the groups this module starts.
export { signalGroup } from '../host/signal-group.js';
