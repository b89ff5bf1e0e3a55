import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { SharedState } from '../../src/state/shared-state.js';
import { cliArgs } from './cli.js';
import { openRealState } from './state.js';

export const MARKER = new URL('../fixtures/marker.mjs', import.meta.url).pathname;

/** Fast settings for daemons under test: short heartbeats, thresholds and polls. */
export function fastEnv(stateDir: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    CODEX_MONITOR_STATE_DIR: stateDir,
    SHARED_STATE_HEARTBEAT_INTERVAL_MS: '200',
    SHARED_STATE_STALE_THRESHOLD_MS: '2000',
    TASK_CLAIM_OWNER_STALE_TTL_MS: '2000',
    SHARED_STATE_BACKOFF_BASE_MS: '100',
    SHARED_STATE_BACKOFF_MAX_MS: '400',
    LOCAL_POLL_INTERVAL_MS: '50',
    EXECUTOR_ALLOWLIST: 'node',
    EXECUTOR_KILL_GRACE_MS: '500',
    SHUTDOWN_GRACE_MS: '3000',
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

export interface DaemonProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts `codex-monitor <args>` as a real process. */
export function startCli(args: string[], env: Record<string, string>): DaemonProcess {
  const childEnv: Record<string, string | undefined> = { ...process.env };
  // The developer's own GitHub settings must never reach a daemon under test.
  for (const key of Object.keys(childEnv)) if (key.startsWith('GITHUB_')) delete childEnv[key];
  Object.assign(childEnv, env);
  const child = spawn(process.execPath, cliArgs(...args), {
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  child.stderr!.on('data', (d: Buffer) => {
    out += d.toString();
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return { child, output: () => out, exited };
}

/**
 * The daemon's exit code, or 'hung' (the daemon killed) when it has not exited within
 * `guardMs`: a bound on "never" for runs that must end by themselves (--once, --until-idle).
 */
export async function exitWithin(daemon: DaemonProcess, guardMs: number): Promise<number | null | 'hung'> {
  let guard: NodeJS.Timeout | undefined;
  const hung = new Promise<'hung'>((resolve) => {
    guard = setTimeout(() => resolve('hung'), guardMs);
  });
  const ended = await Promise.race([daemon.exited, hung]);
  clearTimeout(guard);
  if (ended === 'hung') daemon.child.kill('SIGKILL');
  return ended;
}

export interface MarkerRecord {
  phase: 'start' | 'end' | 'stopped';
  task: string;
  owner: string;
  epoch: number;
  attempt: number;
  at: number;
  pid: number;
  /** On "start": pids of earlier executions of the task still running at that moment. */
  concurrent?: number[];
}

export function readMarkers(file: string): MarkerRecord[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as MarkerRecord);
}

/** Writes a DAG file of marker tasks. */
export function writeDag(
  dir: string,
  tasks: { id: string; deps?: string[]; sleepMs?: number; cmd?: string; timeout?: string; agent?: string }[],
  markerFile: string,
): string {
  const file = join(dir, 'dag.yaml');
  writeFileSync(
    file,
    stringify(
      tasks.map((t) => ({
        id: t.id,
        deps: t.deps ?? [],
        ...(t.agent ? { agent: t.agent } : {}),
        payload: {
          kind: 'shell',
          cmd: t.cmd ?? `node ${MARKER} ${markerFile} ${t.sleepMs ?? 0}`,
          ...(t.timeout ? { timeout: t.timeout } : {}),
        },
      })),
    ),
  );
  return file;
}

/** The state database of a test's state directory, opened read-mostly by the test itself. */
export function openTestState(stateDir: string): SharedState {
  return openRealState(join(stateDir, 'state.db'), {
    staleThresholdMs: 2000,
    backoff: { baseMs: 100, maxMs: 400 },
    ownerStaleTtlMs: 2000,
  });
}

/** Polls until `check` returns a value, or throws after `timeoutMs`. */
export async function waitFor<T>(
  check: () => T | undefined | null | false,
  timeoutMs = 20_000,
  what = 'condition',
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
