/**
 * npm run bench:github — what the GitHub board costs in requests, against the fake with 1,000
 * open issues (no network). Prints:
 *  1. requests and primary rate-limit points per idle cycle after warm-up (target 0 points)
 *  2. requests and writes per task lifecycle with the mirror (target <= 12 requests, <= 6 writes),
 *     for a short task (its "working" mirror coalesced away) and a long one (mirrored while it runs)
 *  3. owner heartbeat writes per hour with 1 and with 8 running tasks (target: the same)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { openGitHubBoard } from '../src/boards/github/index.js';
import { githubPayloads } from '../src/cli/github-payload.js';
import { loadConfig } from '../src/config/config.js';
import { systemClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/logger.js';
import type { ActiveClaim } from '../src/daemon/board.js';
import { currentOwner, openSharedState } from '../src/state/open-state.js';
import { startFakeGitHub } from '../tests/support/github-fake/index.js';

const ISSUES = 1000;
const HEARTBEATS_PER_HOUR = 3_600_000 / 60_000; // the default heartbeat interval

const fake = await startFakeGitHub({
  primaryLimit: 1_000_000,
  secondaryPerMinute: 1_000_000,
  secondaryPerHour: 1_000_000,
});
const dir = mkdtempSync(join(tmpdir(), 'codex-monitor-bench-github-'));
try {
  // 1,000 open issues for another agent (nothing for this daemon: idle), 40 for it.
  const issues = Array.from({ length: ISSUES }, (_, i) => ({
    title: `Issue ${i + 1}`,
    body: 'x',
    authorAssociation: 'OWNER' as const,
    labels: [i < 40 ? 'agent:codex' : 'agent:other'],
  }));
  fake.seed({ repos: [{ owner: 'acme', name: 'widgets', issues }] });
  const config = loadConfig({
    GITHUB_REPOSITORY: 'acme/widgets',
    GITHUB_TOKEN: 'test-token',
    GITHUB_API_URL: fake.url,
    GITHUB_PACE_WRITES: 'false',
    EXECUTOR: 'noop',
    CODEX_MONITOR_AGENT: 'codex',
    CODEX_MONITOR_STATE_DIR: dir,
  });
  const clock = systemClock();
  const store = openSharedState(config, { clock });
  const owner = currentOwner('bench/codex');
  const { board } = openGitHubBoard(config, store, {
    clock,
    logger: silentLogger(),
    payloadFor: githubPayloads(config),
    self: owner,
  });
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
  console.log(
    `bench:github on ${hostname()} (node ${process.version}), fake GitHub with ${ISSUES} open issues`,
  );
  console.log(
    `idle cycle after warm-up: ${(idle.requests / IDLE_CYCLES).toFixed(1)} requests, ` +
      `${(idle.points / IDLE_CYCLES).toFixed(2)} primary points (${idle.notModified}/${idle.requests} answered 304; target 0 points)`,
  );
  for (const kind of ['short', 'long']) {
    console.log(
      `task lifecycle (${kind} task) with the mirror: ${avg(kind, 'requests').toFixed(1)} requests, ` +
        `${avg(kind, 'writes').toFixed(1)} writes (target <= 12 requests, <= 6 writes)`,
    );
  }
  console.log(
    `owner heartbeat writes per hour (60 s interval): ${perHour1} with 1 running task, ${perHour8} with 8 (target: the same)`,
  );
  console.log(
    JSON.stringify({
      issues: ISSUES,
      idle: { perCycle: idle.requests / IDLE_CYCLES, pointsPerCycle: idle.points / IDLE_CYCLES },
      lifecycle: {
        short: { requests: avg('short', 'requests'), writes: avg('short', 'writes') },
        long: { requests: avg('long', 'requests'), writes: avg('long', 'writes') },
      },
      heartbeatWritesPerHour: { one: perHour1, eight: perHour8 },
    }),
  );
  store.close();
} finally {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
}
