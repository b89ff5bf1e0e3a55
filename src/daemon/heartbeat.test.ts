import { describe, expect, it } from 'vitest';
import { systemClock } from '../core/clock.js';
import { silentLogger } from '../core/logger.js';
import type { Attempt } from './attempt.js';
import type { Board, HeartbeatReport } from './board.js';
import { heartbeatLoop } from './heartbeat.js';
import { Lifecycle } from './lifecycle.js';

/** An attempt stand-in that records how it was stopped. */
function fakeAttempt(taskId: string) {
  const stops: { reason: string; detail: string }[] = [];
  const attempt = {
    claim: { task: { id: taskId } },
    get stopped() {
      return stops.length > 0;
    },
    stop(reason: string, detail = reason) {
      if (stops.length === 0) stops.push({ reason, detail });
    },
  };
  return { attempt: attempt as unknown as Attempt, stops };
}

function run(
  board: Pick<Board, 'heartbeat'>,
  attempts: Attempt[],
  opts: { intervalMs: number; renewDeadlineMs: number },
  clock = systemClock(),
) {
  const controller = new AbortController();
  const events = new Lifecycle();
  const missed: number[] = [];
  events.on('heartbeat-missed', (ms) => missed.push(ms));
  const done = heartbeatLoop(
    {
      board: board as Board,
      clock,
      logger: silentLogger(),
      events,
      attempts: () => attempts,
      onFatal: () => {},
      ...opts,
    },
    controller.signal,
  );
  return { stop: () => controller.abort(), done, missed };
}

const until = async (check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
  return check();
};

describe('heartbeatLoop', () => {
  it('fences every attempt when a heartbeat hangs past the renew deadline', async () => {
    const { attempt, stops } = fakeAttempt('t1');
    const hanging = { heartbeat: () => new Promise<HeartbeatReport>(() => {}) };
    const loop = run(hanging, [attempt], { intervalMs: 20, renewDeadlineMs: 150 });
    expect(await until(() => stops.length > 0)).toBe(true);
    expect(stops[0]).toMatchObject({
      reason: 'self-fenced',
      detail: expect.stringMatching(/^no heartbeat for \d+ ms$/),
    });
    expect(loop.missed).toHaveLength(1);
    loop.stop();
  });

  it('still fences when the watchdog timer fires early by the monotonic clock', async () => {
    // Timers measure from libuv's cached loop time, so under load one can fire before the
    // monotonic deadline. A clock running at half speed makes every timer "early": the
    // watchdog must arm itself again rather than give up after one early look.
    const real = systemClock();
    const start = real.monotonic();
    const slow = { ...real, monotonic: () => start + (real.monotonic() - start) / 2 };
    const { attempt, stops } = fakeAttempt('t1');
    const hanging = { heartbeat: () => new Promise<HeartbeatReport>(() => {}) };
    const loop = run(hanging, [attempt], { intervalMs: 20, renewDeadlineMs: 150 }, slow);
    expect(await until(() => stops.length > 0)).toBe(true);
    expect(stops[0]?.reason).toBe('self-fenced');
    loop.stop();
  });

  it('stops what the board reports lost or ignored, and leaves the rest running', async () => {
    const lost = fakeAttempt('lost');
    const ignored = fakeAttempt('ignored');
    const fine = fakeAttempt('fine');
    const board = {
      heartbeat: async (): Promise<HeartbeatReport> => ({
        lost: [{ taskId: 'lost', reason: 'taken over' }],
        ignored: [{ taskId: 'ignored', reason: 'labelled codex:ignore' }],
      }),
    };
    const loop = run(board, [lost.attempt, ignored.attempt, fine.attempt], {
      intervalMs: 20,
      renewDeadlineMs: 5000,
    });
    expect(await until(() => lost.stops.length > 0 && ignored.stops.length > 0)).toBe(true);
    loop.stop();
    await loop.done;
    expect(lost.stops).toEqual([{ reason: 'lost', detail: 'taken over' }]);
    expect(ignored.stops).toEqual([{ reason: 'ignored', detail: 'labelled codex:ignore' }]);
    expect(fine.stops).toEqual([]);
  });
});
