/**
 * npm run bench:github — what the GitHub board costs in requests, and how soon it starts work,
 * against the fake (no network). Prints:
 *  1. requests and writes per task lifecycle with the mirror (target <= 12 requests, <= 6 writes),
 *     for a short task (its "working" mirror coalesced away) and a long one (mirrored while it runs)
 *  2. owner heartbeat writes per hour with 1 and with 8 running tasks (target: the same)
 *  3. requests and primary points per idle cycle at 1,000 and 10,000 open issues (target 2
 *     requests, 0 points), the cost of a full resync, and what a fleet of 20 daemons on one
 *     token spends per minute against GitHub's secondary limit (900 points/min per endpoint)
 *  4. time to start: a real daemon at the default settings, issues opened at random moments
 *     while it idles (target p50 <= 3 s, max <= 10 s), with the ledger over REST and over git,
 *     and the REST requests a minute each spends idle
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/config.js';
import type { ActiveClaim } from '../src/daemon/board.js';
import { openFakeBoard } from '../tests/support/fake-board.js';
import { startFakeGitHub } from '../tests/support/github-fake/index.js';
import { backlog, fleetPointsPerMinute, measureIdle } from './github-idle.js';
import { measureTimeToStart } from './github-start.js';

const ISSUES = 1000;
const HEARTBEATS_PER_HOUR = 3_600_000 / 60_000; // the default heartbeat interval

const fake = await startFakeGitHub({
  primaryLimit: 1_000_000,
  secondaryPerMinute: 1_000_000,
  secondaryPerHour: 1_000_000,
});
const dir = mkdtempSync(join(tmpdir(), 'codex-monitor-bench-github-'));
try {
  // 1,000 open issues: 40 for this daemon's agent, the rest for another.
  fake.seed({
    repos: [{ owner: 'acme', name: 'widgets', issues: backlog(ISSUES, (i) => (i < 40 ? 'codex' : 'other')) }],
  });
  const { board, store } = openFakeBoard(fake, dir, { ownerId: 'bench/codex' });
  const signal = new AbortController().signal;
  await board.register();

  const stats = () => fake.stats();
  const delta = (before: ReturnType<typeof stats>) => {
    const after = stats();
    const requests = after.requests - before.requests;
    const notModified = after.notModified - before.notModified;
    return { requests, notModified, points: requests - notModified, writes: after.writes - before.writes };
  };

  // Work off the 40 issues for this agent first, measuring each lifecycle.
  const lifecycles: { kind: string; requests: number; writes: number }[] = [];
  await board.refresh(signal);
  for (let i = 0; i < 40; i++) {
    const long = i % 2 === 1;
    const before = stats();
    const claim = (await board.claimNext({ purpose: 'any', signal })) as ActiveClaim;
    await board.started(claim);
    if (long) await board.mirror.flush(); // a long task: its "working" mirror is written while it runs
    await board.release(claim, 'complete', {}, signal);
    await board.close(); // waits for the mirror
    const d = delta(before);
    lifecycles.push({ kind: long ? 'long' : 'short', requests: d.requests, writes: d.writes });
  }

  // Idle: warm up (the listings' ETags settle), then measure cycles that find nothing to do.
  for (let i = 0; i < 3; i++) {
    await board.refresh(signal);
    await board.claimNext({ purpose: 'any', signal });
  }
  const idleBefore = stats();
  const IDLE_CYCLES = 20;
  for (let i = 0; i < IDLE_CYCLES; i++) {
    await board.refresh(signal);
    if (await board.claimNext({ purpose: 'any', signal })) throw new Error('not idle');
  }
  const idle = delta(idleBefore);

  // Heartbeats: the writes one beat costs with 1 and with 8 running tasks (claims faked).
  const claims = (n: number) =>
    Array.from(
      { length: n },
      (_, i) => ({ task: { id: `acme/widgets#${i + 1}` } }) as unknown as ActiveClaim,
    );
  const beat = async (n: number) => {
    const before = stats();
    for (let i = 0; i < 5; i++) await board.heartbeat(claims(n));
    return (delta(before).writes / 5) * HEARTBEATS_PER_HOUR;
  };
  const perHour1 = await beat(1);
  const perHour8 = await beat(8);

  const avg = (kind: string, key: 'requests' | 'writes') => {
    const xs = lifecycles.filter((l) => l.kind === kind).map((l) => l[key]);
    return xs.reduce((a, b) => a + b, 0) / xs.length;
  };
  store.close();
  await fake.close();

  // The idle cost at two backlog sizes, each on a fresh fake; then a real daemon's time to start.
  const idle1k = await measureIdle(1_000);
  const idle10k = await measureIdle(10_000);
  const samples = Number(process.env.BENCH_START_SAMPLES ?? 15);
  const starts = [await measureTimeToStart(samples, 'rest'), await measureTimeToStart(samples, 'git')];
  const defaults = loadConfig({});
  const fleet = (cost: typeof idle1k) =>
    fleetPointsPerMinute(cost, {
      daemons: 20,
      pollMs: defaults.pollIntervalMs,
      resyncMs: defaults.github.fullResyncMs,
    });

  console.log(`bench:github on ${hostname()} (node ${process.version}), the fake GitHub over loopback HTTP`);
  for (const kind of ['short', 'long']) {
    console.log(
      `task lifecycle (${kind} task) with the mirror, ${ISSUES} open issues: ${avg(kind, 'requests').toFixed(1)} requests, ` +
        `${avg(kind, 'writes').toFixed(1)} writes (target <= 12 requests, <= 6 writes)`,
    );
  }
  console.log(
    `owner heartbeat writes per hour (60 s interval): ${perHour1} with 1 running task, ${perHour8} with 8 (target: the same)`,
  );
  console.log(
    `idle cycle right after working off 40 issues (${ISSUES} open): ${(idle.requests / IDLE_CYCLES).toFixed(1)} requests, ` +
      `${(idle.points / IDLE_CYCLES).toFixed(2)} primary points (${idle.notModified}/${idle.requests} answered 304)`,
  );
  for (const cost of [idle1k, idle10k]) {
    const f = fleet(cost);
    console.log(
      `idle cycle, ${cost.issues} open issues: ${cost.perCycle.toFixed(1)} requests, ${cost.pointsPerCycle.toFixed(2)} primary points ` +
        `(target 2 requests, 0 points); first cycle ${cost.firstCycle} requests; a full resync adds ${cost.resyncRequests} over ` +
        `${cost.resyncCycles} cycles (at most ${cost.resyncMaxPerCycle} requests in one); ` +
        `20 daemons on one token: ${f.issues.toFixed(0)} points/min on the issues list, ${f.refs.toFixed(0)} on matching-refs (limit 900 per endpoint)`,
    );
  }
  for (const start of starts) {
    console.log(
      `time to start at the defaults (POLL_INTERVAL_MS=${defaults.pollIntervalMs}), ledger over ${start.ledger}, ${start.samplesMs.length} issues opened at random moments: ` +
        `p50 ${(start.p50Ms / 1000).toFixed(2)} s, max ${(start.maxMs / 1000).toFixed(2)} s (target p50 <= 3 s, max <= 10 s); ` +
        `idle: ${start.idleRestPerMinute.toFixed(0)} REST requests a minute`,
    );
  }
  console.log(
    JSON.stringify({
      lifecycle: {
        short: { requests: avg('short', 'requests'), writes: avg('short', 'writes') },
        long: { requests: avg('long', 'requests'), writes: avg('long', 'writes') },
      },
      heartbeatWritesPerHour: { one: perHour1, eight: perHour8 },
      idleAfterWork: { perCycle: idle.requests / IDLE_CYCLES, pointsPerCycle: idle.points / IDLE_CYCLES },
      idle: [idle1k, idle10k].map((c) => ({ ...c, fleet20: fleet(c) })),
      timeToStart: starts,
    }),
  );
} finally {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
}
