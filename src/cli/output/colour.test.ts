import { describe, expect, it } from 'vitest';
import { colourEnabled, colours } from './colour.js';

const tty = { isTTY: true };
const pipe = {};
const ESC = '\u001b[';

describe('colourEnabled', () => {
  it.each([
    ['a terminal', tty, {}, true],
    ['a pipe or a file', pipe, {}, false],
    ['a terminal with NO_COLOR=1', tty, { NO_COLOR: '1' }, false],
    ['a terminal with an empty NO_COLOR (no-color.org: ignored)', tty, { NO_COLOR: '' }, true],
    ['a pipe with FORCE_COLOR=1', pipe, { FORCE_COLOR: '1' }, true],
    ['FORCE_COLOR=1 and NO_COLOR=1 (NO_COLOR wins)', pipe, { FORCE_COLOR: '1', NO_COLOR: '1' }, false],
    ['a terminal with FORCE_COLOR=0', tty, { FORCE_COLOR: '0' }, false],
    ['a dumb terminal', tty, { TERM: 'dumb' }, false],
  ])('%s → %s', (_what, stream, env, expected) => {
    expect(colourEnabled({ stream, env })).toBe(expected);
  });
});

describe('colours', () => {
  it('paints task states the same way everywhere', () => {
    const c = colours(true);
    expect(c.state('done')).toBe(`${ESC}32mdone${ESC}39m`);
    expect(c.state('running', 'build')).toBe(`${ESC}36mbuild${ESC}39m`);
    expect(c.state('claimed')).toBe(`${ESC}36mclaimed${ESC}39m`);
    expect(c.state('failed')).toBe(`${ESC}33mfailed${ESC}39m`);
    expect(c.state('poisoned')).toBe(`${ESC}31mpoisoned${ESC}39m`);
    expect(c.state('blocked')).toBe(`${ESC}35mblocked${ESC}39m`);
    expect(c.state('ignored')).toBe(`${ESC}2mignored${ESC}22m`);
    expect(c.state('ready')).toBe('ready');
    expect([c.ok('a'), c.warn('b'), c.fail('c'), c.heading('d')]).toEqual([
      `${ESC}32ma${ESC}39m`,
      `${ESC}33mb${ESC}39m`,
      `${ESC}31mc${ESC}39m`,
      `${ESC}1md${ESC}22m`,
    ]);
  });

  it('writes no escape code when colour is off', () => {
    const c = colours(false);
    const painted = [
      c.ok('a'),
      c.warn('b'),
      c.fail('c'),
      c.dim('d'),
      c.heading('e'),
      c.state('poisoned', 'x'),
    ];
    expect(painted).toEqual(['a', 'b', 'c', 'd', 'e', 'x']);
  });
});
