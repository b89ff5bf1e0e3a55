import { readFileSync } from 'node:fs';

/**
 * Start time of a process in clock ticks since boot (Linux /proc), or null where unknown.
 * Together with the pid it identifies a process: a pid reused after a crash has another start.
 */
export function processStartTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: parse after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[19]); // field 22 overall: starttime
    return Number.isFinite(ticks) ? ticks : null;
  } catch {
    return null;
  }
}

/** Whether the process that once had `pid` (and, where known, `pidStart`) is still running. */
export function isProcessAlive(pid: number, pidStart: number | null): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else — alive.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (pidStart === null) return true;
  const now = processStartTicks(pid);
  return now === null || now === pidStart;
}
