/**
 * Stopping the attempts a dead (or silent) daemon on this host left running, before anyone
 * runs their tasks again. Shared by every board: the local shared state knows, per claim, the
 * attempt's process group, and it does not expire a stale claim while that group still runs
 * (SharedState.staleCause). So each refresh first kills those groups and waits until they are
 * gone, then sweeps: a second execution can only start after the first has ended.
 *
 * Normally the watchdog that leads each attempt's group has killed it already, the moment its
 * daemon died; this covers the rest (a watchdog killed along with the daemon, a daemon that
 * is alive but silent past the stale threshold, a database left by an older version).
 */
import { isGroupAlive } from '../host/process-liveness.js';
import { signalGroup } from '../host/signal-group.js';
import type { OrphanedExecution, SharedState, SweptClaim } from '../state/shared-state.js';

/** How long one refresh waits for killed groups to be gone; what is left waits for the next. */
const REAP_WAIT_MS = 5000;
const POLL_MS = 20;

/** Kills the orphaned attempts, waits until they are gone, then expires stale claims. */
export async function sweepStaleClaims(store: SharedState, signal?: AbortSignal): Promise<SweptClaim[]> {
  await reapOrphans(store.staleExecutions(), signal);
  return store.sweepStale();
}

/**
 * SIGKILLs each orphan's process group (nothing it produces can be accepted any more, so it
 * gets no grace) and waits, at most REAP_WAIT_MS, until none of them has a live member. A
 * group that outlives the wait (a process stuck in the kernel) keeps its claim held: the
 * next refresh tries again, and the task is not run twice meanwhile.
 */
export async function reapOrphans(
  orphans: readonly OrphanedExecution[],
  signal?: AbortSignal,
): Promise<void> {
  const alive = () => orphans.filter((o) => isGroupAlive(o.pid, o.pidStart));
  for (const orphan of alive()) signalGroup(orphan.pid, 'SIGKILL');
  const deadline = Date.now() + REAP_WAIT_MS;
  while (alive().length > 0 && Date.now() < deadline && !signal?.aborted) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
