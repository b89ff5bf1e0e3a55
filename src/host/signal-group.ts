/**
 * Signalling a process group as a unit (`kill(-pgid)`), grandchildren included: what stops an
 * attempt (executors/process-group.ts) and an orphan a dead daemon left (boards/orphan-reaper.ts).
 */

/** Sends `sig` to every member of the group; a group that is already gone is not an error. */
export function signalGroup(pgid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(-pgid, sig);
  } catch {
    // ESRCH: nobody left. EPERM: a member we may not signal (setuid); nothing more we can do.
  }
}
