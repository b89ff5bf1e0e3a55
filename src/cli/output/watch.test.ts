import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { fitScreen, parseWatchInterval, WATCH_DEFAULT_MS } from './watch.js';

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

describe('fitScreen', () => {
  const text = (n: number) => `${Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n')}\n`;

  it('leaves a frame that fits alone, and without a terminal size', () => {
    expect(fitScreen(text(9), 10, 80)).toBe(text(9));
    expect(fitScreen(text(50), undefined, undefined)).toBe(text(50));
  });

  it('keeps the top of a taller frame and says how much is left out, within the rows', () => {
    const fitted = fitScreen(text(30), 10, 80).replace(/\n$/, '').split('\n');
    expect(fitted).toHaveLength(9);
    expect(fitted[0]).toBe('line 1');
    expect(fitted[7]).toBe('line 8');
    expect(fitted[8]).toMatch(/^… 22 more lines/);
  });

  it('counts the rows a wrapped line takes', () => {
    const wide = `${'x'.repeat(25)}\n${text(8)}`; // 3 rows at 10 columns, then 8 lines
    const fitted = fitScreen(wide, 10, 10).replace(/\n$/, '').split('\n');
    expect(fitted.slice(0, -1)).toEqual(['x'.repeat(25), 'line 1', 'line 2', 'line 3', 'line 4', 'line 5']);
    expect(fitted.at(-1)).toBe('… 3 more l'); // the note, cut to the width
  });
});
