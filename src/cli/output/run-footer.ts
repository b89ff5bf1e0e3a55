import type { DaemonActivity } from '../../daemon/activity.js';
import { duration } from './format.js';
import type { LiveRegion } from './live-region.js';
import { terminalLine } from './terminal-safe.js';

/** What the footer reads: the daemon's read-only view of itself (Daemon.activity). */
export interface ActivitySource {
  activity(): DaemonActivity;
}

const REDRAW_MS = 1_000;

/**
 * The live footer of `run` on a terminal: the slots in use, when the daemon looks at the board
 * next, and each running task with its elapsed time — redrawn every second under the transition
 * lines. Returns its stop, which erases it and closes the region (later lines print as usual).
 */
export function startRunFooter(
  source: ActivitySource,
  region: LiveRegion,
  now: () => number,
): { stop(): void } {
  const draw = () => region.update(renderRunFooter(source.activity(), now()));
  draw();
  const timer = setInterval(draw, REDRAW_MS);
  // The footer never keeps the process alive on its own.
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      region.close();
    },
  };
}

/** The footer's text at `now` (wall time, the clock the activity's times come from). */
export function renderRunFooter(activity: DaemonActivity, now: number): string {
  const { running, slotsUsed, maxParallel, nextCycleAt, stopping } = activity;
  const state = stopping
    ? `stopping: waiting for ${running.length} task${running.length === 1 ? '' : 's'} to stop`
    : nextCycleAt === null
      ? 'checking the board'
      : `next check in ${seconds(nextCycleAt - now)}`;
  const lines = [`── ${slotsUsed}/${maxParallel} slots in use · ${state}`];
  for (const a of running) {
    // Ids and titles come from issues and DAG files: never raw to the terminal.
    const title = a.title !== a.taskId ? ` — ${terminalLine(a.title)}` : '';
    const recovery = a.recovery ? ' (recovery slot)' : '';
    lines.push(
      `   ${terminalLine(a.taskId)}  ${seconds(now - a.since)}  attempt ${a.attempt}${recovery}${title}`,
    );
  }
  return lines.join('\n');
}

/** Whole seconds ("0s", "42s", "4m05s"): the footer changes once a second, no flickering tenths. */
function seconds(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return s < 60 ? `${s}s` : duration(s * 1000);
}
