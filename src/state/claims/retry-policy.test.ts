import { describe, expect, it } from 'vitest';
import { decideExpiry, decideRelease } from './retry-policy.js';

const policy = { maxRetries: 3, backoff: { baseMs: 1_000, maxMs: 8_000 } };
const now = 100_000;
const half = () => 0.5;

describe('the local retry policy', () => {
  it('completes and abandons without counting an attempt', () => {
    expect(decideRelease('complete', 1, now, policy, half)).toEqual({
      state: 'done',
      retryCount: 1,
      nextAttemptAt: now,
    });
    expect(decideRelease('abandoned', 2, now, policy, half)).toEqual({
      state: 'ready',
      retryCount: 2,
      nextAttemptAt: now,
    });
  });

  it('counts a failure, backs off with jitter, and poisons at the limit', () => {
    expect(decideRelease('failed', 0, now, policy, half)).toEqual({
      state: 'failed',
      retryCount: 1,
      nextAttemptAt: now + 750,
    });
    expect(decideRelease('failed', 1, now, policy, half)).toEqual({
      state: 'failed',
      retryCount: 2,
      nextAttemptAt: now + 1_500,
    });
    expect(decideRelease('failed', 2, now, policy, half)).toEqual({
      state: 'poisoned',
      retryCount: 3,
      nextAttemptAt: now,
    });
  });

  it('counts an expired claim as a failure without backoff', () => {
    expect(decideExpiry(0, now, policy)).toEqual({ state: 'failed', retryCount: 1, nextAttemptAt: now });
    expect(decideExpiry(2, now, policy)).toEqual({ state: 'poisoned', retryCount: 3, nextAttemptAt: now });
  });
});
