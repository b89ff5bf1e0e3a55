/**
 * Daemon.activity(): the read-only view the `run` footer draws — the attempts running with
 * when they were claimed, the slots in use, the next cycle while the loop sleeps, a stop.
 */
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import type { ExecutionResult } from '../executors/executor.js';
import type { ActiveClaim, Board } from './board.js';
import { Daemon } from './daemon.js';

const OWNER = { id: 'ws/activity', host: 'test', pid: process.pid, pidStart: null };

/** A board with one task to claim, which records its release. */
function oneTaskBoard(clock: ManualClock) {
  const claim: ActiveClaim = {
    task: { id: 'build', title: 'Build it', agent: null, payload: { kind: 'noop' } },
    ticket: { taskId: 'build', ownerId: OWNER.id, epoch: 3, attempt: 2, claimedAt: clock.now() },
    tookOverFrom: null,
  };
  let claimed = false;
  return {
    name: 'one-task',
    steering: {},
    register: async () => {},
    unregister: async () => {},
    refresh: async () => [],
    claimNext: async ({ purpose }: { purpose: string }) => {
      if (claimed || purpose !== 'any') return null;
      claimed = true;
      return claim;
    },
    started: async () => {},
    spawned: () => {},
    heartbeat: async () => ({ lost: [], ignored: [] }),
    release: async () => ({ ok: true }),
    pending: async () => ({ runnable: 0, held: 0, waiting: 1, nextWakeAt: null }),
    close: async () => {},
  } as unknown as Board;
}

/** Resolves once `test` holds, letting the daemon's promises run in between (no time passes). */
async function settle(test: () => boolean): Promise<void> {
  for (let i = 0; i < 1_000 && !test(); i++) await new Promise((resolve) => setImmediate(resolve));
  expect(test()).toBe(true);
}

describe('Daemon.activity', () => {
  it('shows the running attempt, the slots in use and the next cycle, then a stop', async () => {
    const clock = new ManualClock();
    let finish: (result: ExecutionResult) => void = () => {};
    const daemon = new Daemon({
      board: oneTaskBoard(clock),
      executorFor: () => ({ run: () => new Promise<ExecutionResult>((resolve) => (finish = resolve)) }),
      artifactsRoot: '/nonexistent',
      owner: OWNER,
      agent: null,
      maxParallel: 2,
      pollIntervalMs: 10_000,
      heartbeatIntervalMs: 3_600_000,
      renewDeadlineMs: 7_200_000,
      shutdownGraceMs: 1_000,
      clock,
      logger: silentLogger(),
      random: () => 0.5, // no jitter: the loop sleeps exactly the poll interval
    });
    const claimedAt = clock.now();
    expect(daemon.activity()).toEqual({
      running: [],
      slotsUsed: 0,
      maxParallel: 2,
      nextCycleAt: null,
      stopping: false,
    });
    const running = daemon.run();
    await once(daemon.events, 'started');
    // With the task running and nothing more to claim, the loop sleeps one poll interval (the
    // manual clock stands still: every time below is exact).
    await settle(() => daemon.activity().nextCycleAt !== null);
    expect(daemon.activity()).toEqual({
      running: [{ taskId: 'build', title: 'Build it', attempt: 2, since: claimedAt, recovery: false }],
      slotsUsed: 1,
      maxParallel: 2,
      nextCycleAt: claimedAt + 10_000,
      stopping: false,
    });

    finish({ outcome: 'complete', durationMs: 5_000 });
    await once(daemon.events, 'completed');
    await settle(() => daemon.activity().running.length === 0);
    expect(daemon.activity().slotsUsed).toBe(0);

    const stopped = daemon.stop('test over');
    expect(daemon.activity().stopping).toBe(true);
    await stopped;
    await running;
  });
});
