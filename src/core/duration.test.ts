import { describe, expect, it } from 'vitest';
import { MAX_TIMER_MS, parseDuration } from './duration.js';

describe('parseDuration (the one reader of DAG and command-line durations)', () => {
  it.each([
    [30, 30_000],
    ['30', 30_000],
    ['500ms', 500],
    ['90s', 90_000],
    ['15m', 900_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['1w', 604_800_000],
    ['24d', 24 * 86_400_000],
  ])('%j is %i ms', (value, ms) => {
    expect(parseDuration(value)).toEqual({ ms });
  });

  it('refuses what a timer cannot wait, saying how long is allowed', () => {
    // Node fires a longer timer after 1 ms: a timeout of 25 days would end an attempt at once.
    expect(parseDuration('25d')).toEqual({
      problem: 'duration "25d" is too long: at most 2147483647 ms (about 24.9 days) is allowed',
    });
    expect(parseDuration(`${MAX_TIMER_MS + 1}ms`)).toHaveProperty('problem');
    expect(parseDuration(`${MAX_TIMER_MS}ms`)).toEqual({ ms: MAX_TIMER_MS });
    expect(parseDuration(1e300)).toHaveProperty('problem');
  });

  it('takes another bound where the value is not a timer (a look-back)', () => {
    expect(parseDuration('60d', { maxMs: Number.MAX_SAFE_INTEGER })).toEqual({ ms: 60 * 86_400_000 });
  });

  it('can insist on a unit', () => {
    expect(parseDuration('30', { bareSeconds: false })).toHaveProperty('problem');
    expect(parseDuration('30s', { bareSeconds: false })).toEqual({ ms: 30_000 });
  });
});
