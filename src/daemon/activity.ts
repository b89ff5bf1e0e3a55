import type { Attempt } from './attempt.js';

/** One attempt the daemon is running, as a reader may see it. */
export interface RunningAttempt {
  taskId: string;
  /** From the task (untrusted: an issue's title). */
  title: string;
  attempt: number;
  /** Wall time the daemon claimed the task (the injected clock's). */
  since: number;
  /** Runs in the recovery slot (lost work taken over while every ordinary slot was busy). */
  recovery: boolean;
}

/**
 * What a running daemon is doing right now — a copy, safe to read at any time (the `run`
 * footer redraws it every second): its attempts, the slots in use, when it looks at the board
 * next.
 */
export interface DaemonActivity {
  running: RunningAttempt[];
  /** Attempts in the ordinary slots (the recovery slot's is not counted). */
  slotsUsed: number;
  maxParallel: number;
  /** Wall time of the next cycle while the loop sleeps between cycles; null while it works. */
  nextCycleAt: number | null;
  /** A stop was asked for: no new claims, running attempts are being stopped. */
  stopping: boolean;
}

export function describeActivity(
  attempts: Iterable<Attempt>,
  state: Omit<DaemonActivity, 'running' | 'slotsUsed'>,
): DaemonActivity {
  const running = [...attempts].map(
    (a): RunningAttempt => ({
      taskId: a.claim.task.id,
      title: a.claim.task.title,
      attempt: a.claim.ticket.attempt,
      since: a.claimedAt,
      recovery: a.recovery,
    }),
  );
  return { running, slotsUsed: running.filter((a) => !a.recovery).length, ...state };
}
