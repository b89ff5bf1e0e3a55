/**
 * The questions `init` asks on a terminal (node:readline/promises). The streams are
 * parameters: a test answers through a pipe, exactly as a user would type.
 */
import { createInterface } from 'node:readline/promises';
import type { Readable, Writable } from 'node:stream';
import { terminalLine } from '../output/terminal-safe.js';
import type { Ask } from './choices.js';

/** An `Ask` over `input`/`output`, and `close()` to release the input when done. */
export function promptAsker(input: Readable, output: Writable): { ask: Ask; close: () => void } {
  const rl = createInterface({ input, output, terminal: Boolean((output as { isTTY?: boolean }).isTTY) });
  // Lines typed before the question is printed (a pipe, a paste) are kept for the next question.
  const buffered: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let ended = false;
  rl.on('line', (line) => {
    const next = waiting.shift();
    if (next) next(line);
    else buffered.push(line);
  });
  rl.on('close', () => {
    ended = true;
    for (const next of waiting.splice(0)) next('');
  });
  const ask: Ask = (question, fallback, problem) => {
    if (problem !== undefined) output.write(`${terminalLine(problem)}\n`);
    output.write(`${question}${fallback === '' ? '' : ` [${fallback}]`}: `);
    const line = buffered.shift();
    if (line !== undefined) return Promise.resolve(line);
    // Input ended (Ctrl-D, a short pipe): the default, as Enter would give.
    if (ended) return Promise.resolve('');
    return new Promise((resolve) => waiting.push(resolve));
  };
  return { ask, close: () => rl.close() };
}
