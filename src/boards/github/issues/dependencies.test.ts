import { describe, expect, it } from 'vitest';
import { findCycles, parseDependencies } from './dependencies.js';

const ctx = { owner: 'acme', repo: 'widgets', self: 9 };

describe('parseDependencies', () => {
  it.each([
    ['depends on #12', [12]],
    ['Blocked by #12', [12]],
    ['DEPENDS ON: #3, #4', [3, 4]],
    ['depends on #3 and #4 & #5; #6', [3, 4, 5, 6]],
    ['blocked-by #7\ndepends on #2', [2, 7]],
    ['depends on https://github.com/acme/widgets/issues/12#issuecomment-1', [12]],
    ['depends on https://github.com/ACME/Widgets/issues/13', [13]],
    ['depends on acme/widgets#14', [14]],
    ['depends on #4, depends on #4', [4]],
  ])('reads %j', (body, expected) => {
    expect(parseDependencies(body, ctx)).toEqual(expected);
  });

  it.each([
    ['mentions #12 without a keyword', []],
    ['depends on other/repo#3 and https://github.com/other/repo/issues/4', []],
    ['depends on https://example.com/acme/widgets/issues/5', []],
    ['depends on #9 (itself)', []],
    ['depends on\n#3', []],
    ['```\ndepends on #3\n```\nand `blocked by #4` <!-- depends on #5 -->', []],
    ['', []],
  ])('ignores %j', (body, expected) => {
    expect(parseDependencies(body, ctx)).toEqual(expected);
  });

  it('accepts only #n without a repository context, and a custom host', () => {
    expect(parseDependencies('depends on #2, https://github.com/acme/widgets/issues/3')).toEqual([2]);
    expect(
      parseDependencies('blocked by https://ghe.corp/acme/widgets/issues/8', { ...ctx, host: 'ghe.corp' }),
    ).toEqual([8]);
    expect(parseDependencies(null)).toEqual([]);
  });
});

describe('findCycles', () => {
  it('reports each cycle once, in dependency order from its smallest number', () => {
    const graph = new Map<number, number[]>([
      [3, [1]],
      [1, [2]],
      [2, [3]],
      [4, [1]], // depends on the cycle, is not part of it
      [5, [5]],
      [6, []],
    ]);
    expect(findCycles(graph)).toEqual([[1, 2, 3], [5]]);
  });

  it('lists a tangle of cycles as its members, and accepts a record', () => {
    expect(findCycles({ 1: [2], 2: [1, 3], 3: [2], 7: [8] })).toEqual([[1, 2, 3]]);
    expect(findCycles({ 1: [2], 2: [3] })).toEqual([]);
  });
});
