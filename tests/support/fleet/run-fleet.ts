import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isProcessAlive } from '../../../src/host/process-liveness.js';
import { fastEnv, MARKER, readMarkers } from '../daemons.js';
import { ledgerChain } from '../github-daemons.js';
import { startFakeGitHub } from '../github-fake/index.js';
import {
  type Chain,
  type ChaosEvent,
  completions,
  executions,
  overlaps,
  recoveries,
} from './fleet-analysis.js';
import { mirrorState, settledMirror } from './mirror-state.js';

export interface FleetParams {
  daemons: number;
  slots: number;
  issues: number;
  killFraction: number;
  pauseFraction: number;
  /** Daemons whose process alone is SIGKILLed (their executors left running), restarted at once. */
  killDaemonOnly: number;
  /** Daemons sent SIGHUP (a closed terminal), restarted a moment later. */
  hup: number;
  /** Daemons whose wall clock is an hour ahead. */
  skewed: number;
  staleThresholdMs: number;
  heartbeatMs: number;
  pollMs: number;
  taskMs: [number, number];
  latencyMs: number;
  latencyJitterMs: number;
  readLagMs: number;
  lostResponseRate: number;
  /** Per daemon token: content-creating requests per minute / hour (GitHub: 80 / 500). */
  secondaryPerMinute: number;
  secondaryPerHour: number;
  deadlineMs: number;
  seed: number;
  /** Pace writes as the daemon does in production (≥ 1 s apart per daemon). */
  paceWrites: boolean;
}

export const DEFAULT_FLEET: FleetParams = {
  daemons: 8,
  slots: 3,
  issues: 300,
  killFraction: 0.1,
  pauseFraction: 0.05,
  killDaemonOnly: 1,
  hup: 1,
  skewed: 1,
  // Heartbeats are paced, content-creating writes like any other: every 5 s they take 2 of
  // each second's write and 24 of a token's 80 creations a minute; the work takes the rest.
  staleThresholdMs: 20_000,
  heartbeatMs: 5000,
  pollMs: 1000,
  taskMs: [1000, 3000],
  latencyMs: 10,
  latencyJitterMs: 40,
  readLagMs: 300,
  lostResponseRate: 0.02,
  secondaryPerMinute: 80,
  secondaryPerHour: 500,
  deadlineMs: 20 * 60_000,
  seed: 1,
  paceWrites: true,
};

const REPO = 'acme/widgets';
/** How long the end of a run waits for labels and state comments to agree with the ledger. */
const MIRROR_SETTLE_MS = 60_000;

interface Daemon {
  owner: string;
  env: Record<string, string>;
  child: ChildProcess;
}

/**
 * Runs a fleet of real `codex-monitor run` processes against the GitHub fake with faults on,
 * injects chaos (SIGKILL of a daemon and its executors — a machine lost — restarted later;
 * SIGKILL of the daemon process alone, its executors left running, restarted at once; SIGHUP;
 * SIGSTOP past the stale threshold then SIGCONT; a wall clock an hour off), and measures what
 * the promise is about: nothing completed twice, nothing lost, no two executions at once.
 */
export async function runFleet(
  params: FleetParams,
  options: { workDir: string; cli: string[]; log?: (line: string) => void },
) {
  const log = options.log ?? (() => {});
  const tokens = Array.from({ length: params.daemons }, (_, i) => ({
    token: `token-${i + 1}`,
    login: `ws${i + 1}`,
  }));
  const fake = await startFakeGitHub({
    tokens,
    primaryLimit: 1_000_000,
    secondaryPerMinute: params.secondaryPerMinute,
    secondaryPerHour: params.secondaryPerHour,
    rngSeed: params.seed,
    knobs: {
      latencyMs: params.latencyMs,
      latencyJitterMs: params.latencyJitterMs,
      readLagMs: params.readLagMs,
      lostResponseRate: params.lostResponseRate,
    },
  });
  const markers = join(options.workDir, 'markers.jsonl');
  const chaos: ChaosEvent[] = [];
  const daemons: Daemon[] = [];
  const started = Date.now();
  try {
    fake.seed({
      repos: [
        {
          owner: 'acme',
          name: 'widgets',
          issues: Array.from({ length: params.issues }, (_, i) => ({
            title: `Task ${i + 1}`,
            body: 'x',
            authorAssociation: 'OWNER' as const,
          })),
        },
      ],
    });
    for (let i = 0; i < params.daemons; i++) {
      const stateDir = join(options.workDir, `ws${i + 1}`);
      mkdirSync(stateDir, { recursive: true });
      const env = fastEnv(stateDir, {
        GITHUB_REPOSITORY: REPO,
        GITHUB_TOKEN: tokens[i]!.token,
        GITHUB_API_URL: fake.url,
        GITHUB_PACE_WRITES: String(params.paceWrites),
        POLL_INTERVAL_MS: String(params.pollMs),
        SHARED_STATE_HEARTBEAT_INTERVAL_MS: String(params.heartbeatMs),
        SHARED_STATE_STALE_THRESHOLD_MS: String(params.staleThresholdMs),
        TASK_CLAIM_OWNER_STALE_TTL_MS: String(params.staleThresholdMs),
        SHARED_STATE_MAX_RETRIES: '8',
        MAX_PARALLEL: String(params.slots),
        EXECUTOR: 'shell',
        EXECUTOR_COMMAND: `node ${MARKER} ${markers} ${params.taskMs[0]}-${params.taskMs[1]}`,
        CODEX_MONITOR_CLOCK_OFFSET_MS: i < params.skewed ? '3600000' : '0',
        LOG_LEVEL: process.env.FLEET_LOG_LEVEL ?? 'warn', // FLEET_LOG_LEVEL=info to see every claim
      });
      daemons.push({
        owner: `ws${i + 1}/codex`,
        env,
        child: start(options.cli, `ws${i + 1}/codex`, env, options.workDir),
      });
    }

    // Victims: never the skewed daemons, so each fault is seen on its own.
    const pool = daemons.slice(params.skewed);
    const kills = pool.slice(0, Math.ceil(params.killFraction * params.daemons));
    const pauses = pool.slice(kills.length, kills.length + Math.ceil(params.pauseFraction * params.daemons));
    const daemonKills = pool.slice(kills.length + pauses.length).slice(0, params.killDaemonOnly);
    const hups = pool.slice(kills.length + pauses.length + daemonKills.length).slice(0, params.hup);
    if (daemonKills.length < params.killDaemonOnly || hups.length < params.hup)
      log('chaos: not enough daemons for every kill-daemon-only and hup victim; running fewer');
    const pending: Promise<void>[] = [];
    let completed = 0;
    let killedAt = 0;
    let pausedAt = 0;
    let daemonKilledAt = 0;
    let hupAt = 0;
    while (completed < params.issues && Date.now() - started < params.deadlineMs) {
      await new Promise((r) => setTimeout(r, 250));
      completed = completions(chains(fake, params.issues)).completed;
      // Kill a victim while it is running something (else there is nothing to recover).
      const busy = (d: Daemon) => runningAttempts(markers, d.owner).length > 0;
      if (
        !killedAt &&
        completed >= params.issues * 0.2 &&
        (kills.every(busy) || completed >= params.issues * 0.5)
      ) {
        killedAt = Date.now();
        for (const d of kills)
          pending.push(killAndRestart(d, options, chaos, markers, params.staleThresholdMs * 1.5, log));
      }
      if (!pausedAt && completed >= params.issues * 0.4) {
        pausedAt = Date.now();
        for (const d of pauses) pending.push(pause(d, chaos, params.staleThresholdMs * 2, log));
      }
      // Only the daemon dies, or it gets SIGHUP: while it runs something, so there is an executor
      // that must not outlive it (or run beside the next execution of its issue).
      if (
        !daemonKilledAt &&
        completed >= params.issues * 0.3 &&
        (daemonKills.every(busy) || completed >= params.issues * 0.6)
      ) {
        daemonKilledAt = Date.now();
        for (const d of daemonKills)
          pending.push(killDaemonOnly(d, options, chaos, markers, params.staleThresholdMs, log));
      }
      if (
        !hupAt &&
        completed >= params.issues * 0.5 &&
        (hups.every(busy) || completed >= params.issues * 0.7)
      ) {
        hupAt = Date.now();
        for (const d of hups) pending.push(hangUp(d, options, chaos, log));
      }
      log(
        `progress: ${completed}/${params.issues} completed, ${Math.round((Date.now() - started) / 1000)} s`,
      );
    }
    await Promise.all(pending);
    const endedAt = Date.now();
    // The mirror is judged once the daemons' reconcilers have had a bounded time to settle.
    const { settledAfterMs } = await settledMirror(fake, params.issues, MIRROR_SETTLE_MS);
    await stopAll(daemons);
    const mirror = mirrorState(fake, params.issues);

    const finalChains = chains(fake, params.issues);
    const { completed: done, duplicates } = completions(finalChains);
    const records = readMarkers(markers);
    const intervals = executions(records, chaos, endedAt);
    const stats = fake.stats();
    return {
      params,
      wallSeconds: (endedAt - started) / 1000,
      completed: done,
      lost: params.issues - done,
      duplicateAcceptedCompletions: duplicates,
      executions: intervals.length,
      overlaps: overlaps(intervals, chaos),
      recovery: {
        ...recoveries(records, intervals, chaos),
        targetMs: params.staleThresholdMs + params.pollMs + 10_000,
      },
      requests: {
        total: stats.requests,
        perCompletedIssue: stats.requests / Math.max(1, done),
        writesPerCompletedIssue: stats.writes / Math.max(1, done),
        contentCreatingPerCompletedIssue: stats.contentCreating / Math.max(1, done),
        share304: stats.notModified / Math.max(1, stats.requests),
      },
      limitHits: { primary: stats.primaryLimitHits, secondary: stats.secondaryLimitHits },
      reexecutions: records.filter((m) => m.phase === 'start').length - done,
      daemonLog: daemonLogCounts(options.workDir),
      faults: { lostResponses: stats.lostResponses, injected5xx: stats.injected5xx },
      daemonDeaths: daemonDeaths(chaos, overlaps(intervals, chaos)),
      mirror: {
        disagreeing: mirror.disagreeing.length,
        multipleStateComments: mirror.multipleStateComments.length,
        settledAfterMs,
        examples: {
          disagreeing: mirror.disagreeing.slice(0, 10),
          multiple: mirror.multiple.slice(0, 10),
        },
      },
      chaos,
    };
  } finally {
    await stopAll(daemons);
    await fake.close();
  }
}

/**
 * What the kill-daemon-only and SIGHUP chaos showed: executors that outlived their daemon (and
 * for how long), exit codes on SIGHUP, and executions of a victim's issues that overlapped.
 */
function daemonDeaths(chaos: readonly ChaosEvent[], found: ReturnType<typeof overlaps>) {
  const killed = chaos.filter((c) => c.kind === 'kill-daemon');
  const hups = chaos.filter((c) => c.kind === 'hup');
  const ends = killed.flatMap((c) =>
    Object.values(c.ended ?? {}).map((at) => (at === null ? null : at - c.at)),
  );
  const lifetimes = ends.filter((ms): ms is number => ms !== null);
  const victims = new Set([...killed, ...hups].map((c) => c.owner));
  return {
    killDaemonOnly: killed.length,
    orphans: ends.length,
    orphansAliveAfterThreshold: ends.length - lifetimes.length,
    orphanLifetimeMaxMs: lifetimes.length ? Math.max(...lifetimes) : null,
    hup: hups.length,
    hupExitCodes: hups.map((c) => c.exitCode ?? null),
    // The victim's execution ran on beside the next one of its issue.
    overlapsInvolvingVictims: found.filter((o) => victims.has(o.first.owner)).length,
  };
}

/** Starts a daemon; its output goes to <workDir>/<owner>.log (kept across restarts). */
function start(cli: string[], owner: string, env: Record<string, string>, workDir: string): ChildProcess {
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

/** Every issue's chain from the fake's refs, oldest record first. */
function chains(fake: Awaited<ReturnType<typeof startFakeGitHub>>, issues: number): Map<number, Chain> {
  const out = new Map<number, Chain>();
  for (let n = 1; n <= issues; n++) {
    const chain = ledgerChain(fake, n);
    if (chain.length > 0) out.set(n, chain);
  }
  return out;
}

/** Attempts of `owner` that started and have neither ended nor been stopped. */
function runningAttempts(markersFile: string, owner: string) {
  const records = readMarkers(markersFile);
  const over = new Set(records.filter((r) => r.phase !== 'start').map((r) => `${r.task}|${r.epoch}`));
  return records.filter((r) => r.owner === owner && r.phase === 'start' && !over.has(`${r.task}|${r.epoch}`));
}

/** A machine lost: the daemon and the executors it was running die together; it reboots later. */
async function killAndRestart(
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
async function killDaemonOnly(
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
async function hangUp(
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
async function pause(d: Daemon, chaos: ChaosEvent[], forMs: number, log: (line: string) => void) {
  const event: ChaosEvent = { kind: 'pause', owner: d.owner, at: Date.now() };
  chaos.push(event);
  d.child.kill('SIGSTOP');
  log(`chaos: paused ${d.owner} for ${forMs} ms`);
  await new Promise((r) => setTimeout(r, forMs));
  d.child.kill('SIGCONT');
  event.until = Date.now();
  log(`chaos: continued ${d.owner}`);
}

async function stopAll(daemons: Daemon[]) {
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

/** What the daemons said about fencing, from their logs: why work was done again. */
function daemonLogCounts(workDir: string) {
  const counts = { selfFenced: 0, fencedResults: 0, claimsLost: 0 };
  for (const file of readdirSync(workDir).filter((f) => f.endsWith('.log'))) {
    for (const line of readFileSync(join(workDir, file), 'utf8').split('\n')) {
      if (line.includes('heartbeat overdue')) counts.selfFenced++;
      else if (line.includes('release refused (fenced)')) counts.fencedResults++;
      else if (line.includes('claim lost during the attempt')) counts.claimsLost++;
    }
  }
  return counts;
}
