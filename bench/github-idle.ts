/**
 * bench:github, part 2: what an idle GitHub board costs per cycle with a backlog of N open
 * issues (none for this daemon), and what one full resync of the open issues costs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openFakeBoard } from '../tests/support/fake-board.js';
import type { SeedIssue } from '../tests/support/github-fake/index.js';
import { startFakeGitHub } from '../tests/support/github-fake/index.js';
import { MovedClock } from '../tests/support/moved-clock.js';

const DAY = 86_400_000;

/**
 * `count` trusted issues for agent `other`, last updated over the past 30 days: a backlog. An
 * issue updated within the last minute (the overlap `since` keeps) is listed every cycle until
 * the minute is over; a burst of more than a page of those costs its pages for that minute.
 */
export function backlog(count: number, agentFor: (i: number) => string = () => 'other'): SeedIssue[] {
  return Array.from({ length: count }, (_, i) => {
    const at = new Date(Date.now() - 30 * DAY + Math.floor((i * 29 * DAY) / count))
      .toISOString()
      .replace(/\.\d{3}Z$/, 'Z');
    return {
      title: `Issue ${i + 1}`,
      body: 'x',
      authorAssociation: 'OWNER' as const,
      labels: [`agent:${agentFor(i)}`],
      createdAt: at,
      updatedAt: at,
    };
  });
}

export interface IdleCost {
  issues: number;
  /** Requests per idle cycle (refresh + a claim that finds nothing), after warm-up. */
  perCycle: number;
  /** Primary rate-limit points per idle cycle (requests not answered 304). */
  pointsPerCycle: number;
  byRoute: Record<string, number>;
  /** Requests of the first cycle (the whole repository listed once). */
  firstCycle: number;
  /** Requests a full resync adds, over all the cycles it walks (the open list's pages and lone reads). */
  resyncRequests: number;
  /** Cycles a resync walks, and the most requests one of them makes. */
  resyncCycles: number;
  resyncMaxPerCycle: number;
}

export async function measureIdle(issues: number, cycles = 20): Promise<IdleCost> {
  const fake = await startFakeGitHub({
    primaryLimit: 1_000_000,
    secondaryPerMinute: 1_000_000,
    secondaryPerHour: 1_000_000,
  });
  const dir = mkdtempSync(join(tmpdir(), 'codex-monitor-bench-idle-'));
  const clock = new MovedClock();
  try {
    fake.seed({ repos: [{ owner: 'acme', name: 'widgets', issues: backlog(issues) }] });
    const { board, store } = openFakeBoard(fake, dir, { clock, ownerId: 'bench/codex' });
    const signal = new AbortController().signal;
    const cycle = async () => {
      await board.refresh(signal);
      if (await board.claimNext({ purpose: 'any', signal })) throw new Error('not idle');
    };
    const requests = async (run: () => Promise<void>) => {
      const before = fake.stats();
      await run();
      const after = fake.stats();
      return {
        requests: after.requests - before.requests,
        notModified: after.notModified - before.notModified,
      };
    };
    await board.register();
    const first = await requests(cycle);
    for (let i = 0; i < 3; i++) await cycle(); // `since` moves once: one 200 on the new URL
    fake.resetStats();
    const idle = await requests(async () => {
      for (let i = 0; i < cycles; i++) await cycle();
    });
    const byRoute = fake.stats().byRoute;
    clock.advance(15 * 60_000); // past any resync's due time
    const walk: number[] = [];
    for (;;) {
      const { requests: made } = await requests(cycle);
      if (made <= idle.requests / cycles) break;
      walk.push(made);
    }
    store.close();
    return {
      issues,
      perCycle: idle.requests / cycles,
      pointsPerCycle: (idle.requests - idle.notModified) / cycles,
      byRoute: Object.fromEntries(Object.entries(byRoute).map(([k, v]) => [k, v / cycles])),
      firstCycle: first.requests,
      resyncRequests: walk.reduce((sum, made) => sum + made - idle.requests / cycles, 0),
      resyncCycles: walk.length,
      resyncMaxPerCycle: Math.max(...walk),
    };
  } finally {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Secondary-limit points per minute a fleet spends idle, per REST endpoint (GET = 1 point; a
 * 304 assumed to count): every daemon lists one issues page and reads matching-refs per cycle,
 * about 60,000 / pollMs cycles a minute (the jitter is symmetric; the cycle's own time only
 * lowers the rate), and lists every open-issue page once per resync period.
 */
export function fleetPointsPerMinute(
  cost: IdleCost,
  o: { daemons: number; pollMs: number; resyncMs: number },
): { issues: number; refs: number } {
  const cyclesPerMinute = 60_000 / o.pollMs;
  const route = (name: string) => cost.byRoute[`GET /repos/{owner}/{repo}/${name}`] ?? 0;
  const issues = cyclesPerMinute * route('issues') + (cost.resyncRequests * 60_000) / o.resyncMs;
  return { issues: o.daemons * issues, refs: o.daemons * cyclesPerMinute * route('git/matching-refs/{ref}') };
}
