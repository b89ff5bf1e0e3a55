import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock.js';
import { CodexMonitorError, type ErrorCode, RateLimitedError } from '../core/errors.js';
import { silentLogger } from '../core/logger.js';
import type { Board } from './board.js';
import { registerWithRetries } from './startup.js';

/** A board whose register fails with the given codes, one per call, then succeeds. */
function board(failures: ErrorCode[]) {
  const calls = { n: 0 };
  const b = {
    name: 'github',
    register: async () => {
      const code = failures[calls.n++];
      if (code) throw new CodexMonitorError(code, `failure ${code}`);
    },
  } as unknown as Board;
  return { board: b, calls };
}

/** Lets pending promise callbacks run. */
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('registering at start-up', () => {
  it('retries an outage with growing, bounded waits until the board answers', async () => {
    const clock = new ManualClock();
    const { board: b, calls } = board(['GITHUB_UNAVAILABLE', 'GITHUB_UNAVAILABLE', 'GITHUB_UNAVAILABLE']);
    const done = registerWithRetries(
      { board: b, clock, logger: silentLogger(), random: () => 1, baseWaitMs: 1000, maxWaitMs: 3000 },
      new AbortController().signal,
    );
    for (const wait of [1000, 2000, 3000]) {
      await settle();
      clock.advance(wait - 1);
      await settle();
      expect(calls.n).toBe([1000, 2000, 3000].indexOf(wait) + 1); // not before its wait
      clock.advance(1);
    }
    expect(await done).toBe(true);
    expect(calls.n).toBe(4);
  });

  it.each<ErrorCode>(['GITHUB_UNAUTHORIZED', 'GITHUB_PERMISSION', 'GITHUB_NOT_FOUND', 'OWNER_COLLISION'])(
    'gives up at once on %s: a retry cannot fix it',
    async (code) => {
      const { board: b, calls } = board([code]);
      await expect(
        registerWithRetries(
          { board: b, clock: new ManualClock(), logger: silentLogger() },
          new AbortController().signal,
        ),
      ).rejects.toMatchObject({ code });
      expect(calls.n).toBe(1);
    },
  );

  it('stops waiting when the daemon is stopped', async () => {
    const stop = new AbortController();
    const { board: b } = board(['GITHUB_RATE_LIMITED']);
    const done = registerWithRetries(
      { board: b, clock: new ManualClock(), logger: silentLogger() },
      stop.signal,
    );
    await settle();
    stop.abort();
    expect(await done).toBe(false);
  });

  it('waits out a rate limit for as long as its typed error says, not the backoff', async () => {
    const clock = new ManualClock();
    let calls = 0;
    const b = {
      name: 'github',
      register: async () => {
        if (calls++ === 0) throw new RateLimitedError('GITHUB_RATE_LIMITED', 'limited', 5_000);
      },
    } as unknown as Board;
    const done = registerWithRetries(
      { board: b, clock, logger: silentLogger(), random: () => 1, baseWaitMs: 1000 },
      new AbortController().signal,
    );
    await settle();
    clock.advance(4_999);
    await settle();
    expect(calls).toBe(1); // the backoff (1 s) alone would have tried again by now
    clock.advance(1);
    expect(await done).toBe(true);
    expect(calls).toBe(2);
  });
});
