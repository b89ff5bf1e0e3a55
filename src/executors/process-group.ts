/**
 * Starting a command as its own process group and stopping the whole group.
 *
 * Why a group: agents and build tools start children of their own (`sh -c`, npm, test
 * runners). Killing only our child would orphan them, still writing into the worktree after
 * the claim was released. `detached: true` makes the child a group leader (setsid), and the
 * group is signalled as a unit (`kill(-pgid)`), grandchildren included.
 *
 * Why files and not pipes for stdout/stderr: the caller passes file descriptors, so no pipe
 * is held open by a grandchild that inherited it; the run settles when the leader exits and
 * the group is gone, never waiting for an EOF that a stray background process withholds.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface GroupRunOptions {
  argv: readonly string[];
  cwd?: string;
  env: Record<string, string>;
  /** stdin ('ignore': /dev/null), stdout and stderr as open file descriptors. */
  stdio: [number | 'ignore', number, number];
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
 * Runs `argv` as a new process group. On timeout or abort: SIGTERM to the group, SIGKILL
 * after `killGraceMs`. When the leader exits, members it left behind get the same treatment:
 * an attempt owns its group, and nothing in it outlives the attempt. Settles once the leader
 * has exited and the group is empty or has been sent SIGKILL. Never rejects.
 */
export function runInProcessGroup(options: GroupRunOptions): Promise<GroupExit> {
  const { argv, signal, killGraceMs } = options;
  return new Promise((resolve) => {
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(argv[0]!, argv.slice(1), {
        detached: true,
        shell: false,
        cwd: options.cwd,
        env: options.env,
        stdio: options.stdio,
      });
    } catch (error) {
      // Synchronous failures: a NUL byte in an argument, an invalid cwd type, ...
      resolve({ kind: 'spawn-error', code: (error as NodeJS.ErrnoException).code ?? String(error) });
      return;
    }
    const pid = child.pid;
    if (pid === undefined) {
      // ENOENT, EACCES, ...: reported asynchronously by an 'error' event, with no pid.
      child.once('error', (error: NodeJS.ErrnoException) =>
        resolve({ kind: 'spawn-error', code: error.code ?? error.message }),
      );
      return;
    }
    try {
      options.onSpawn?.(pid);
    } catch {
      // Bookkeeping only: a failing hook must not leave a child nobody waits for.
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
    child.once('exit', (exitCode, exitSignal) => {
      clearTimeout(timeout);
      signal.removeEventListener('abort', onAbort);
      const done = () => {
        clearTimeout(killTimer);
        resolve({ kind: 'exited', exitCode, signal: exitSignal, stoppedBy });
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

/** Sends `sig` to every member of the group; a group that is already gone is not an error. */
export function signalGroup(pgid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pgid, sig);
  } catch {
    // ESRCH: nobody left. EPERM: a member we may not signal (setuid); nothing more we can do.
  }
}

/**
 * Whether any process of the group still runs. Zombies do not count: in a container whose
 * PID 1 does not reap orphans, killed grandchildren stay zombies forever and `kill(-pgid, 0)`
 * keeps succeeding, so on Linux the members are looked up in /proc and their state checked.
 */
export function groupHasLiveMembers(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true; // no /proc (macOS): its init reaps orphans, so kill(-pgid, 0) was truthful
  }
  return entries.some((entry) => {
    if (!/^\d+$/.test(entry)) return false;
    const stat = procStat(Number(entry));
    return stat !== null && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X';
  });
}

/** Whether `pid` runs (false for a zombie). For tests and orphan checks. */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = procStat(pid);
  return stat === null || (stat.state !== 'Z' && stat.state !== 'X');
}

function procStat(pid: number): { state: string; pgrp: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: parse after the last ')'.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return state === undefined ? null : { state, pgrp: Number(pgrp) };
  } catch {
    return null;
  }
}
