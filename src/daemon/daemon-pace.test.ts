/**
 * The loop's pace as a board reports it: GitHub's X-Poll-Interval is the least wait between
 * refreshes whatever else wakes the loop, and a cycle that saw the board change runs the next
 * at once (a few in a row at most). Time is virtual, so every gap is exact.
 */
import { describe, expect, it } from 'vitest';
import type { Clock } from '../core/clock.js';
import { RateLimitedError } from '../core/errors.js';
import { silentLogger } from '../core/logger.js';
import type { Board, RefreshPace } from './board.js';
import { Daemon } from './daemon.js';

/** Virtual time: `advance` wakes the earliest sleeper once everything else has settled. */
class VirtualClock implements Clock {
  private t = 0;
  private sleepers: { at: number; resolve: () => void }[] = [];

  now = () => 1_750_000_000_000 + this.t;
  monotonic = () => this.t;

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const sleeper = { at: this.t + Math.max(0, ms), resolve };
      this.sleepers.push(sleeper);
      signal?.addEventListener('abort', () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        reject(signal.reason);
      });
    });
  }

  async advance(): Promise<void> {
    await new Promise((r) => setImmediate(r));
    this.sleepers.sort((a, b) => a.at - b.at);
    const next = this.sleepers.shift();
    if (!next) return;
    this.t = next.at;
    next.resolve();
  }
}

/** A board that claims nothing and reports `pace` after every refresh, recording when it ran. */
function pacedBoard(clock: VirtualClock, pace: (n: number) => RefreshPace) {
  const refreshedAt: number[] = [];
  const board = {
    name: 'paced',
    steering: {},
    register: async () => {},
    unregister: async () => {},
    refresh: async () => {
      refreshedAt.push(clock.monotonic());
      return [];
    },
    pace: () => pace(refreshedAt.length),
    claimNext: async () => null,
    started: async () => {},
    spawned: () => {},
    heartbeat: async () => ({ lost: [], ignored: [] }),
    release: async () => ({ ok: false, reason: 'unused' }),
    pending: async () => ({ runnable: 0, held: 0, waiting: 1, nextWakeAt: null }),
    close: async () => {},
  } as unknown as Board;
  return { board, refreshedAt };
}

async function runUntil(clock: VirtualClock, board: Board, refreshes: () => number, count: number) {
  const daemon = new Daemon({
    board,
    executorFor: () => {
      throw new Error('nothing is claimed');
    },
    artifactsRoot: '/nonexistent',
    owner: { id: 'ws/pace', host: 'test', pid: process.pid, pidStart: null },
    agent: null,
    maxParallel: 1,
    pollIntervalMs: 1_000,
    heartbeatIntervalMs: 3_600_000,
    renewDeadlineMs: 7_200_000,
    shutdownGraceMs: 1_000,
    clock,
    logger: silentLogger(),
    random: () => 0.5, // no jitter: the poll interval is exactly 1,000 ms
  });
  const running = daemon.run();
  for (let i = 0; i < 1_000 && refreshes() < count; i++) await clock.advance();
  await daemon.stop();
  await running;
}

const gaps = (xs: number[]) => xs.slice(1).map((x, i) => x - xs[i]!);

describe('the daemon loop pace', () => {
  it('waits at least the minimum interval the source asks for, even after a change', async () => {
    const clock = new VirtualClock();
    const { board, refreshedAt } = pacedBoard(clock, () => ({ changed: true, minIntervalMs: 2_500 }));
    await runUntil(clock, board, () => refreshedAt.length, 6);
    expect(refreshedAt.length).toBeGreaterThanOrEqual(6);
    for (const gap of gaps(refreshedAt)) expect(gap).toBeGreaterThanOrEqual(2_500);
  });

  it('runs the next cycle at once after a change, three in a row at most, then polls', async () => {
    const clock = new VirtualClock();
    // Refreshes 1–5 see changes, then the board is quiet.
    const { board, refreshedAt } = pacedBoard(clock, (n) => ({ changed: n <= 5, minIntervalMs: 0 }));
    await runUntil(clock, board, () => refreshedAt.length, 8);
    expect(gaps(refreshedAt).slice(0, 7)).toEqual([0, 0, 0, 1_000, 1_000, 1_000, 1_000]);
  });

  it('polls at the poll interval while nothing changes', async () => {
    const clock = new VirtualClock();
    const { board, refreshedAt } = pacedBoard(clock, () => ({ changed: false, minIntervalMs: 0 }));
    await runUntil(clock, board, () => refreshedAt.length, 4);
    expect(gaps(refreshedAt).slice(0, 3)).toEqual([1_000, 1_000, 1_000]);
  });

  it('waits out a short rate-limit wait in full, and probes a long one every four poll intervals', async () => {
    for (const [retryAfterMs, gap] of [
      [60_000, 60_000],
      [3_600_000, 4_000],
    ] as const) {
      const clock = new VirtualClock();
      const { board, refreshedAt } = pacedBoard(clock, () => ({ changed: false, minIntervalMs: 0 }));
      const refresh = board.refresh.bind(board);
      board.refresh = async (signal) => {
        await refresh(signal);
        throw new RateLimitedError('GITHUB_RATE_LIMITED', 'rate limited', retryAfterMs);
      };
      await runUntil(clock, board, () => refreshedAt.length, 3);
      expect(gaps(refreshedAt).slice(0, 2)).toEqual([gap, gap]);
    }
  });
});
