/**
 * Command lines for the shell executor: word splitting (the allow-list: program-path.ts).
 *
 * The executor never starts a shell, so a command line is only split into words the way a
 * POSIX shell splits them, and nothing else:
 * - whitespace (space, tab, newline) separates words;
 * - '...' keeps everything literally up to the next single quote;
 * - "..." keeps everything literally except that a backslash escapes $ ` " \ and newline
 *   (POSIX rules: before any other character the backslash stays);
 * - outside quotes a backslash makes the next character literal (backslash-newline is removed);
 * - quotes may join parts of one word (a'b'"c" is abc) and '' or "" is an empty word.
 * There are NO shell features: | ; & && > < $VAR $(...) `...` * ? [ ] ~ # are ordinary
 * characters inside words. `echo a | wc` runs echo with the arguments "a", "|", "wc".
 * Anyone who needs a pipeline says so explicitly: `sh -c '...'` with `sh` on the allow-list.
 */
import { InputError } from '../../core/errors.js';
import type { ShellPayload } from '../../core/payload.js';

/** Characters a backslash escapes inside double quotes (POSIX). */
const DQ_ESCAPABLE = new Set(['$', '`', '"', '\\', '\n']);
const BLANK = new Set([' ', '\t', '\n', '\r']);

/**
 * Splits `line` into argv. Throws `InputError` for an unterminated quote, a trailing
 * backslash, or a line without any word.
 */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word = '';
  // A word exists once anything (even an empty quote pair) started it.
  let inWord = false;
  let i = 0;
  const fail = (what: string): never => {
    throw new InputError(`Invalid command line ${JSON.stringify(line)}: ${what}`);
  };
  while (i < line.length) {
    const c = line[i]!;
    if (BLANK.has(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) fail(`unterminated single quote at position ${i}; close it with '`);
      word += line.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      const start = i;
      i++;
      while (i < line.length && line[i] !== '"') {
        const d = line[i]!;
        const next = line[i + 1];
        if (d === '\\' && next !== undefined && DQ_ESCAPABLE.has(next)) {
          if (next !== '\n') word += next;
          i += 2;
        } else {
          word += d;
          i++;
        }
      }
      if (i >= line.length) fail(`unterminated double quote at position ${start}; close it with "`);
      inWord = true;
      i++;
    } else if (c === '\\') {
      const next = line[i + 1];
      if (next === undefined) fail('it ends with a backslash; escape it as \\\\ or quote it');
      if (next !== '\n') {
        word += next;
        inWord = true;
      }
      i += 2;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  if (words.length === 0) fail('it is empty; give a program and its arguments');
  return words;
}

/** argv of a shell payload: a string is split into words, an array is taken as it is. */
export function toArgv(payload: ShellPayload): string[] {
  if (typeof payload.cmd === 'string') return splitCommandLine(payload.cmd);
  if (payload.cmd.length === 0 || payload.cmd[0] === '') {
    throw new InputError('The command is empty; give a program and its arguments');
  }
  return [...payload.cmd];
}
