import { readFileSync } from 'node:fs';

/** Fields of /proc/<pid>/stat after the command name, or null where /proc has none. */
function procStat(pid: number): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: parse after the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/**
 * Start time of a process in clock ticks since boot (Linux /proc), or null where unknown.
 * Together with the pid it identifies a process: a pid reused after a crash has another start.
 */
export function processStartTicks(pid: number): number | null {
  const ticks = Number(procStat(pid)?.[19]); // field 22 overall: starttime
  return Number.isFinite(ticks) ? ticks : null;
}

/**
 * Whether the process that once had `pid` (and, where known, `pidStart`) is still running.
 * A zombie is dead: it has exited, only its parent has not collected it (in containers whose
 * init does not reap, an orphaned daemon stays a zombie for good).
 */
export function isProcessAlive(pid: number, pidStart: number | null): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else — alive.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = procStat(pid);
  if (stat === null) return true; // no /proc: the signal check is all we have
  if (stat[0] === 'Z' || stat[0] === 'X') return false;
  return pidStart === null || Number(stat[19]) === pidStart;
}
