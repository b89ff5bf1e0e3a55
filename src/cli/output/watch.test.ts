import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { parseWatchInterval, WATCH_DEFAULT_MS } from './watch.js';

describe('parseWatchInterval', () => {
  it('reads durations the one way: a bare number is seconds, units as everywhere', () => {
    expect(parseWatchInterval(true)).toBe(WATCH_DEFAULT_MS);
    expect(parseWatchInterval(undefined)).toBe(WATCH_DEFAULT_MS);
    expect(parseWatchInterval('30')).toBe(30_000);
    expect(parseWatchInterval('1s')).toBe(1_000);
    expect(parseWatchInterval('1500ms')).toBe(1_500);
    expect(parseWatchInterval('1h')).toBe(3_600_000);
  });

  it('refuses what would spin or is no watch, naming the value and giving an example', () => {
    for (const value of ['0s', '0', '999ms', '61m', '1d']) {
      expect(() => parseWatchInterval(value)).toThrow(InputError);
      expect(() => parseWatchInterval(value)).toThrow(`--watch "${value}" is out of range`);
    }
    expect(() => parseWatchInterval('-1s')).toThrow(/--watch: bad duration "-1s".*e\.g\. --watch 5s/);
  });
});
