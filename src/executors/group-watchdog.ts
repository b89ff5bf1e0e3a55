/**
 * The parent-death watchdog: the leader of every attempt's process group.
 *
 * An attempt runs in a process group of its own (so it can be stopped as a unit), which also
 * means nothing stops it when the daemon dies: not SIGKILL, not a crash, not SIGHUP from a
 * closed terminal. Its agent would run on, unfenced, while another daemon takes the issue
 * over. So the group's leader is this small program: it runs the command as its child (same
 * group) and holds one end of a socket whose other end only the daemon holds. The kernel
 * closes the daemon's end when the daemon exits, however it exits, and the EOF makes the
 * watchdog SIGKILL the whole group, itself included. (Linux's PR_SET_PDEATHSIG would do the
 * same but is not reachable from Node without a native addon; polling the parent pid would
 * be late and could be fooled by pid reuse.) SIGKILL at once, no grace: a dead daemon's
 * attempt can no longer be fenced or released, and every second it runs on is a second in
 * which another owner may already run the same issue.
 *
 * The watchdog also reports how its child ended (exit code or signal) as one JSON line on the
 * socket, so the daemon sees the command's own status, not the watchdog's. It ignores the
 * SIGTERM/SIGINT/SIGHUP sent to the group (its child gets them) and lives until the child
 * has exited.
 *
 * It is plain CommonJS given to `node -e`: no file to find next to the compiled code, no
 * TypeScript loader, nothing from the project — it runs the same from `dist/`, under tsx and
 * under vitest.
 */

/** The JSON line the watchdog writes when its child ended or could not start. */
export type WatchdogReport =
  | { exitCode: number | null; signal: NodeJS.Signals | null }
  | { spawnError: string };

/** The fd (in the watchdog) of the socket to the daemon. */
export const WATCHDOG_FD = 3;

const SOURCE = String.raw`'use strict';
const { spawn } = require('node:child_process');
const net = require('node:net');
const [file, argv0, ...args] = process.argv.slice(1);
const link = new net.Socket({ fd: ${WATCHDOG_FD}, readable: true, writable: true });
let reported = false;
const killGroup = () => {
  try { process.kill(-process.pid, 'SIGKILL'); } catch {}
  process.exit(137);
};
// EOF or an error on the link: the daemon is gone. Unless the child's end was already reported.
const orphaned = () => { if (!reported) killGroup(); };
link.on('end', orphaned);
link.on('close', orphaned);
link.on('error', orphaned);
link.resume();
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(sig, () => {});
const report = (message, code) => {
  reported = true;
  link.end(JSON.stringify(message) + '\n', () => process.exit(code));
};
let child;
try {
  child = spawn(file, args, { argv0, stdio: ['inherit', 'inherit', 'inherit'] });
} catch (error) {
  report({ spawnError: error.code || String(error) }, 127);
}
if (child) {
  child.on('error', (error) => report({ spawnError: error.code || String(error) }, 127));
  child.on('exit', (exitCode, signal) => report({ exitCode, signal }, exitCode === null ? 128 : exitCode));
}
`;

/**
 * argv that runs `file` (an absolute path) through the watchdog, with `argv0` as the
 * command's argv[0] and `args` after it. Needs a socket at fd 3 (see `WATCHDOG_FD`).
 */
export function watchdogArgv(file: string, argv0: string, args: readonly string[]): string[] {
  return [process.execPath, '-e', SOURCE, '--', file, argv0, ...args];
}

/** The watchdog's report, from what it wrote on the socket; null if it wrote none. */
export function parseWatchdogReport(text: string): WatchdogReport | null {
  const line = text.trim().split('\n').at(-1);
  if (!line) return null;
  try {
    const report = JSON.parse(line) as WatchdogReport;
    return typeof report === 'object' && report !== null ? report : null;
  } catch {
    return null;
  }
}
