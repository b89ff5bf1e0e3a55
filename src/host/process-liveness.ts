import { readdirSync, readFileSync } from 'node:fs';

/** What /proc/<pid>/stat says of a process (Linux), or null where /proc has no entry for it. */
interface ProcStat {
  /** R, S, D, Z (zombie), X (dead), T, ... */
  state: string;
  /** Process group id. */
  pgrp: number;
  /** Start time in clock ticks since boot: with the pid, it identifies the process. */
  startTicks: number;
}

/** The one reader of /proc/<pid>/stat. Null without /proc (macOS) or without that pid. */
function procStat(pid: number): ProcStat | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name (field 2) may contain spaces and parentheses: parse after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const [state, , pgrp] = fields;
  if (state === undefined) return null;
  return { state, pgrp: Number(pgrp), startTicks: Number(fields[19]) }; // field 22 overall: starttime
}

/** Whether a /proc state means the process has exited (a zombie only waits to be collected). */
function isExited(stat: ProcStat): boolean {
  return stat.state === 'Z' || stat.state === 'X';
}

/**
 * Start time of a process in clock ticks since boot (Linux /proc), or null where unknown.
 * Together with the pid it identifies a process: a pid reused after a crash has another start.
 */
export function processStartTicks(pid: number): number | null {
  const ticks = procStat(pid)?.startTicks;
  return ticks !== undefined && Number.isFinite(ticks) ? ticks : null;
}

/** kill(pid, 0): false once nobody has that pid (EPERM: it exists, but is someone else's). */
function signalable(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether the process that once had `pid` (and, where known, `pidStart`) is still running.
 * A zombie is dead: it has exited, only its parent has not collected it (in containers whose
 * init does not reap, an orphaned daemon stays a zombie for good).
 */
export function isProcessAlive(pid: number, pidStart: number | null = null): boolean {
  if (!signalable(pid)) return false;
  const stat = procStat(pid);
  if (stat === null) return true; // no /proc: the signal check is all we have
  if (isExited(stat)) return false;
  return pidStart === null || stat.startTicks === pidStart;
}

/**
 * Whether any process of group `pgid` still runs. Zombies do not count: in a container whose
 * PID 1 does not reap orphans, killed members stay zombies for ever and `kill(-pgid, 0)` keeps
 * succeeding, so on Linux the members are looked up in /proc and their state checked.
 */
export function groupHasLiveMembers(pgid: number): boolean {
  if (!signalable(-pgid)) return false;
  let entries: string[];
  try {
    entries = readdirProc();
  } catch {
    return true; // no /proc (macOS): its init reaps orphans, so kill(-pgid, 0) was truthful
  }
  return entries.some((entry) => {
    const stat = procStat(Number(entry));
    return stat !== null && stat.pgrp === pgid && !isExited(stat);
  });
}

/**
 * Whether the process group an attempt started (leader `pgid`, started at `leaderStart`)
 * still has live members. A pid that leads a live group is never handed out again, so a
 * process under that pid with another start time means the old group is gone — and its
 * number now belongs to someone else, who must not be signalled. With the start unknown, a
 * live process under that pid cannot be told from a stranger: not ours to kill.
 */
export function isGroupAlive(pgid: number, leaderStart: number | null): boolean {
  const leader = procStat(pgid);
  if (leader !== null) {
    if (leaderStart !== null ? leader.startTicks !== leaderStart : !isExited(leader)) return false;
  }
  // The leader runs (or exited, leaving members behind: the pid stays reserved for the group).
  return groupHasLiveMembers(pgid);
}

/** The pids /proc lists; throws where there is no /proc. */
function readdirProc(): string[] {
  return readdirSync('/proc').filter((entry) => /^\d+$/.test(entry));
}
