/** How `run` stops: signals, a forced second one, and ending as a hung-up process does. */
import { isatty } from 'node:tty';
import type { Daemon } from '../../daemon/daemon.js';

/**
 * First SIGINT/SIGTERM/SIGHUP: graceful stop. Second: kill the tasks and exit. A failsafe
 * timer backs both. SIGHUP is a closed terminal (or a supervisor's stop): by default it would
 * kill the daemon on the spot, leaving its claims held and nobody to release them.
 */
export function handleSignals(daemon: Daemon, graceMs: number, forced: AbortController) {
  let signals = 0;
  let hungUp = false;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    // The terminal is gone: a write to it fails (EIO), and must not end the shutdown early.
    if (signal === 'SIGHUP') {
      hungUp = true;
      ignoreOutputErrors();
    }
    if (signals === 1) {
      void daemon.stop(`${signal} received`);
      // The failsafe: attempts get the grace, releases and the mirror's last writes the rest.
      setTimeout(() => {
        process.stderr.write(
          `codex-monitor: shutdown did not finish in ${graceMs + 20_000} ms; forcing exit\n`,
        );
        forced.abort();
        daemon.kill();
        process.exit(1);
      }, graceMs + 20_000).unref();
    } else {
      forced.abort();
      daemon.kill();
      process.exit(130);
    }
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  return {
    remove: () => {
      for (const signal of SIGNALS) process.off(signal, onSignal);
    },
    hungUp: () => hungUp,
  };
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

function ignoreOutputErrors(): void {
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
}

/** Whether stdin/out/err started on a terminal (asked after a hang-up, isatty says no: EIO). */
const ON_TERMINAL = [0, 1, 2].some((fd) => isatty(fd));

/**
 * After a graceful stop on SIGHUP, with a terminal among stdin/out/err: end as a hung-up
 * process does, by SIGHUP. Exiting normally would let Node restore the terminal's settings on
 * the way out, and on a terminal that is gone that fails and aborts the process (SIGABRT, a
 * core dump: nodejs/node#51519). Everything is released and closed by now.
 */
export function exitOnHangUp(): void {
  if (!ON_TERMINAL) return;
  process.removeAllListeners('SIGHUP');
  process.kill(process.pid, 'SIGHUP');
}
