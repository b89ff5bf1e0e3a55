/**
 * The chaos a fleet run injects into its daemons: a machine lost (daemon and executors killed,
 * restarted later), the daemon process alone killed, SIGHUP, SIGSTOP past the stale threshold.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { isProcessAlive } from '../../../src/host/process-liveness.js';
import { readMarkers } from '../daemons.js';
import type { ChaosEvent } from './fleet-analysis.js';

export interface Daemon {
  owner: string;
  env: Record<string, string>;
  child: ChildProcess;
}

/** Starts a daemon; its output goes to <workDir>/<owner>.log (kept across restarts). */
export function start(
  cli: string[],
  owner: string,
  env: Record<string, string>,
  workDir: string,
): ChildProcess {
  const childEnv: Record<string, string | undefined> = { ...process.env };
  for (const key of Object.keys(childEnv)) if (key.startsWith('GITHUB_')) delete childEnv[key];
  const log = openSync(join(workDir, `${owner.replace(/\W/g, '_')}.log`), 'a');
  const child = spawn(cli[0]!, [...cli.slice(1), 'run', '--owner', owner], {
    env: { ...childEnv, ...env },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  return child;
}

/** Attempts of `owner` that started and have neither ended nor been stopped. */
export function runningAttempts(markersFile: string, owner: string) {
  const records = readMarkers(markersFile);
  const over = new Set(records.filter((r) => r.phase !== 'start').map((r) => `${r.task}|${r.epoch}`));
  return records.filter((r) => r.owner === owner && r.phase === 'start' && !over.has(`${r.task}|${r.epoch}`));
}

/** A machine lost: the daemon and the executors it was running die together; it reboots later. */
export async function killAndRestart(
  d: Daemon,
  options: { workDir: string; cli: string[] },
  chaos: ChaosEvent[],
  markersFile: string,
  downMs: number,
  log: (line: string) => void,
) {
  const running = runningAttempts(markersFile, d.owner);
  d.child.kill('SIGKILL');
  for (const r of running) {
    try {
      process.kill(r.pid, 'SIGKILL');
    } catch {
      // already finished
    }
  }
  chaos.push({ kind: 'kill', owner: d.owner, at: Date.now() });
  log(`chaos: killed ${d.owner} with ${running.length} running attempts; back in ${downMs} ms`);
  await new Promise((r) => setTimeout(r, downMs));
  d.child = start(options.cli, d.owner, d.env, options.workDir);
  log(`chaos: restarted ${d.owner}`);
}

/**
 * Only the daemon process dies (SIGKILL), its executors left running; restarted at once under
 * the same owner id, which may take its claims back at once. Records when each executor it was
 * running is seen gone: they must die with their daemon, before any second execution starts.
 */
export async function killDaemonOnly(
  d: Daemon,
  options: { workDir: string; cli: string[] },
  chaos: ChaosEvent[],
  markersFile: string,
  giveUpMs: number,
  log: (line: string) => void,
) {
  const running = runningAttempts(markersFile, d.owner);
  const ended = Object.fromEntries(running.map((r) => [r.pid, null]));
  const event: ChaosEvent = { kind: 'kill-daemon', owner: d.owner, at: Date.now(), ended };
  d.child.kill('SIGKILL');
  chaos.push(event);
  log(`chaos: killed the daemon ${d.owner} alone, leaving ${running.length} running attempts; restarting it`);
  await once(d.child, 'exit');
  d.child = start(options.cli, d.owner, d.env, options.workDir);
  const watching = new Set(running.map((r) => r.pid));
  const deadline = Date.now() + giveUpMs;
  while (watching.size > 0 && Date.now() < deadline) {
    for (const pid of watching) {
      if (isProcessAlive(pid)) continue;
      event.ended![pid] = Date.now();
      watching.delete(pid);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  log(`chaos: ${d.owner}'s orphaned attempts gone: ${running.length - watching.size} of ${running.length}`);
}

/** SIGHUP, as a closed terminal sends it: a graceful stop (exit 0); restarted a moment later. */
export async function hangUp(
  d: Daemon,
  options: { workDir: string; cli: string[] },
  chaos: ChaosEvent[],
  log: (line: string) => void,
) {
  const event: ChaosEvent = { kind: 'hup', owner: d.owner, at: Date.now() };
  chaos.push(event);
  d.child.kill('SIGHUP');
  const [code] = (await once(d.child, 'exit')) as [number | null];
  event.exitCode = code;
  log(`chaos: ${d.owner} exited ${code} on SIGHUP; restarting it`);
  await new Promise((r) => setTimeout(r, 1000));
  d.child = start(options.cli, d.owner, d.env, options.workDir);
}

/** A zombie owner: stopped past the stale threshold (its executors run on), then continued. */
export async function pause(d: Daemon, chaos: ChaosEvent[], forMs: number, log: (line: string) => void) {
  const event: ChaosEvent = { kind: 'pause', owner: d.owner, at: Date.now() };
  chaos.push(event);
  d.child.kill('SIGSTOP');
  log(`chaos: paused ${d.owner} for ${forMs} ms`);
  await new Promise((r) => setTimeout(r, forMs));
  d.child.kill('SIGCONT');
  event.until = Date.now();
  log(`chaos: continued ${d.owner}`);
}

export async function stopAll(daemons: Daemon[]) {
  await Promise.all(
    daemons.map(async (d) => {
      if (d.child.exitCode !== null || d.child.signalCode !== null) return;
      d.child.kill('SIGCONT');
      d.child.kill('SIGTERM');
      const timer = setTimeout(() => d.child.kill('SIGKILL'), 20_000);
      await once(d.child, 'exit');
      clearTimeout(timer);
    }),
  );
}
