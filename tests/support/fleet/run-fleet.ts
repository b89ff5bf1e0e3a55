import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fastEnv, MARKER, readMarkers } from '../daemons.js';
import { armLostPush, type LostPushArm } from '../git-server/index.js';
import { type LedgerRecord, ledgerChain } from '../github-daemons.js';
import { type FakeGitHub, startFakeGitHub } from '../github-fake/index.js';
import { deliveryFigures } from './delivery-check.js';
import {
  type ChaosEvent,
  completions,
  daemonDeaths,
  daemonLogCounts,
  executions,
  overlaps,
  recoveries,
} from './fleet-analysis.js';
import {
  type Daemon,
  hangUp,
  killAndRestart,
  killDaemonOnly,
  pause,
  runningAttempts,
  start,
  stopAll,
} from './fleet-chaos.js';
import { deliveryEnv, gitRootOf } from './fleet-delivery.js';
import type { FleetParams } from './fleet-params.js';
import { mirrorState, settledMirror } from './mirror-state.js';

const REPO = 'acme/widgets';
/** The mirror is judged once nothing has improved for this long (see settledMirror). */
const MIRROR_SETTLE_MS = 60_000;

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
    ...(params.deliver || params.ledger === 'git' ? { gitRoot: gitRootOf(options.workDir) } : {}),
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
        LEDGER_TRANSPORT: params.ledger,
        ...(params.ledger === 'git' ? { LEDGER_REMOTE: fake.gitRemote('acme', 'widgets') } : {}),
        ...(params.deliver
          ? deliveryEnv(options.workDir, i, fake.gitRemote('acme', 'widgets'), markers, params.taskMs)
          : {}),
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
    let [lastReported, reportedAt] = [-1, 0];
    const lostPushes = lostPushArming(fake, params);
    while (completed < params.issues && Date.now() - started < params.deadlineMs) {
      await new Promise((r) => setTimeout(r, 250));
      lostPushes.tick();
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
      // A line when the count moves, at most every 5 s: a readable log, not four lines a second.
      if (completed !== lastReported && Date.now() - reportedAt >= 5_000) {
        log(
          `progress: ${completed}/${params.issues} completed, ${Math.round((Date.now() - started) / 1000)} s`,
        );
        [lastReported, reportedAt] = [completed, Date.now()];
      }
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
        byRoute: stats.byRoute,
      },
      limitHits: { primary: stats.primaryLimitHits, secondary: stats.secondaryLimitHits },
      reexecutions: records.filter((m) => m.phase === 'start').length - done,
      daemonLog: daemonLogCounts(options.workDir),
      faults: {
        lostResponses: stats.lostResponses,
        injected5xx: stats.injected5xx,
        lostPushes: lostPushes.lost(),
      },
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
      delivery: params.deliver
        ? deliveryFigures(fake, REPO, fake.gitRemote('acme', 'widgets'), finalChains, stats)
        : null,
      chaos,
    };
  } finally {
    await stopAll(daemons);
    await fake.close();
  }
}

/** Every issue's chain from the fake's refs, oldest record first. */
function chains(
  fake: Awaited<ReturnType<typeof startFakeGitHub>>,
  issues: number,
): Map<number, LedgerRecord[]> {
  const out = new Map<number, LedgerRecord[]>();
  for (let n = 1; n <= issues; n++) {
    const chain = ledgerChain(fake, n);
    if (chain.length > 0) out.set(n, chain);
  }
  return out;
}

/**
 * On the git ledger, lost answers are lost pushes: every 2 s (with lost responses on) one more
 * ledger push is applied by the server and then its receive-pack is killed, so git never hears.
 */
function lostPushArming(fake: FakeGitHub, params: FleetParams) {
  const bare =
    params.ledger === 'git' && params.lostResponseRate > 0 ? fake.gitRemote('acme', 'widgets') : null;
  let arm: LostPushArm | undefined;
  let armed = 0;
  let at = 0;
  return {
    tick(): void {
      if (bare === null || Date.now() - at < 2000) return;
      at = Date.now();
      if (arm && arm.remaining() > 0) return;
      arm = armLostPush(bare, 1);
      armed += 1;
    },
    lost: () => armed - (arm?.remaining() ?? 0),
  };
}
