import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.js';
import { splitCommandLine, toArgv } from './command-line.js';

describe('splitCommandLine', () => {
  it('splits on runs of blanks', () => {
    expect(splitCommandLine('  npm   run\ttest \n')).toEqual(['npm', 'run', 'test']);
  });

  it('keeps single-quoted text literally, backslashes included', () => {
    expect(splitCommandLine(`echo 'a  b' 'c\\d' '"q"'`)).toEqual(['echo', 'a  b', 'c\\d', '"q"']);
  });

  it('honours the POSIX backslash escapes inside double quotes only', () => {
    expect(splitCommandLine('echo "say \\"hi\\"" "a\\\\b" "\\$HOME" "c\\d"')).toEqual([
      'echo',
      'say "hi"',
      'a\\b',
      '$HOME',
      'c\\d',
    ]);
  });

  it('makes the next character literal after a backslash outside quotes', () => {
    expect(splitCommandLine('touch a\\ b \\"c\\" d\\\\e')).toEqual(['touch', 'a b', '"c"', 'd\\e']);
  });

  it('joins adjacent quoted and unquoted parts and keeps empty words', () => {
    expect(splitCommandLine(`x a'b'"c"d '' ""`)).toEqual(['x', 'abcd', '', '']);
  });

  it('treats shell metacharacters as ordinary characters', () => {
    expect(splitCommandLine('echo a | wc ; rm -rf / && x > out $HOME `id` $(id) *.ts ~ #c')).toEqual([
      'echo',
      'a',
      '|',
      'wc',
      ';',
      'rm',
      '-rf',
      '/',
      '&&',
      'x',
      '>',
      'out',
      '$HOME',
      '`id`',
      '$(id)',
      '*.ts',
      '~',
      '#c',
    ]);
  });

  it('removes a backslash-newline (line continuation)', () => {
    expect(splitCommandLine('node \\\nscript.js')).toEqual(['node', 'script.js']);
  });

  it.each([
    [`echo 'unterminated`, /unterminated single quote at position 5/],
    ['echo "unterminated', /unterminated double quote at position 5/],
    ['echo "a\\"', /unterminated double quote/],
    ['echo a\\', /ends with a backslash/],
    ['', /it is empty/],
    [' \t\n', /it is empty/],
  ])('rejects %j with an InputError', (line, message) => {
    let caught: unknown;
    try {
      splitCommandLine(line);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as InputError).code).toBe('INPUT_INVALID');
    expect((caught as InputError).message).toMatch(message);
  });
});

describe('toArgv', () => {
  it('splits a string and takes an array as it is, refusing an empty one', () => {
    expect(toArgv({ kind: 'shell', cmd: `node -e 'a b'` })).toEqual(['node', '-e', 'a b']);
    expect(toArgv({ kind: 'shell', cmd: ['sh', '-c', 'a | b'] })).toEqual(['sh', '-c', 'a | b']);
    expect(() => toArgv({ kind: 'shell', cmd: [] })).toThrow(InputError);
    expect(() => toArgv({ kind: 'shell', cmd: [''] })).toThrow(/command is empty/);
  });
});
