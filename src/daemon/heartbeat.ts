import type { Clock } from '../core/clock.js';
import { CodexMonitorError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Attempt } from './attempt.js';
import type { Board } from './board.js';
import type { Lifecycle } from './lifecycle.js';

export interface HeartbeatOptions {
  board: Board;
  clock: Clock;
  logger: Logger;
  events: Lifecycle;
  intervalMs: number;
  /** Self-fencing: past this without a completed heartbeat, our claims are treated as lost. */
  renewDeadlineMs: number;
  attempts: () => Attempt[];
  /** A heartbeat error that must stop the daemon (another live daemon uses our owner id). */
  onFatal: (error: Error) => void;
}

/**
 * Renews this owner's liveness every interval and acts on what the board reports: lost
 * claims are stopped and their results discarded, ignored ones are stopped and released.
 * If a heartbeat has not completed within the renew deadline — the process was paused, the
 * machine slept, the board was unreachable — every attempt is stopped before anyone else
 * may take its task over (the stale threshold is longer than the deadline).
 */
export async function heartbeatLoop(options: HeartbeatOptions, signal: AbortSignal): Promise<void> {
  const { board, clock, logger, events } = options;
  let lastRenewed = clock.monotonic();
  const fenceIfOverdue = () => {
    const silentMs = clock.monotonic() - lastRenewed;
    if (silentMs <= options.renewDeadlineMs) return;
    const attempts = options.attempts().filter((a) => !a.stopped);
    if (attempts.length === 0) return;
    logger.warn(
      { silentMs, attempts: attempts.length },
      'heartbeat overdue: fencing myself, stopping every attempt',
    );
    events.emit('heartbeat-missed', silentMs);
    for (const attempt of attempts)
      attempt.stop('self-fenced', `no heartbeat for ${Math.round(silentMs)} ms`);
  };
  while (!signal.aborted) {
    try {
      await clock.sleep(options.intervalMs, signal);
    } catch {
      return; // aborted
    }
    fenceIfOverdue(); // after a pause (SIGSTOP, a suspended laptop) this fires first
    // A heartbeat can hang (a rate-limit wait, a slow network): fence on time regardless.
    // Timers may fire a little early by the monotonic clock (libuv measures from its cached
    // loop time), so a watchdog that finds the deadline not yet passed arms itself again.
    let watchdog: NodeJS.Timeout | undefined;
    const arm = () => {
      const dueInMs = lastRenewed + options.renewDeadlineMs - clock.monotonic();
      if (dueInMs < 0) return fenceIfOverdue();
      watchdog = setTimeout(arm, dueInMs + 1);
      watchdog.unref();
    };
    arm();
    try {
      // Attempts already being stopped need no more verdicts.
      const attempts = options.attempts().filter((a) => !a.stopped);
      const sent = clock.monotonic();
      const report = await board.heartbeat(attempts.map((a) => a.claim));
      // Others saw the beat no earlier than it was sent: count from there.
      lastRenewed = sent;
      events.emit('heartbeat');
      const byTask = new Map(attempts.map((a) => [a.claim.task.id, a]));
      for (const { taskId, reason } of report.lost) byTask.get(taskId)?.stop('lost', reason);
      for (const { taskId, reason } of report.ignored) byTask.get(taskId)?.stop('ignored', reason);
    } catch (error) {
      if (error instanceof CodexMonitorError && error.code === 'OWNER_COLLISION') {
        for (const attempt of options.attempts()) attempt.stop('lost', error.message);
        options.onFatal(error);
        return;
      }
      logger.warn({ err: error }, 'heartbeat failed; will retry at the next interval');
      events.emit('warning', 'heartbeat failed', error);
    } finally {
      clearTimeout(watchdog);
    }
  }
}
