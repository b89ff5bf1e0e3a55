/**
 * The end of an attempt's log for the dashboard: the last lines, read from the file's end (a
 * long log is never read whole), terminal escapes and control characters removed as
 * `codex-monitor logs` removes them. What is left is still untrusted text: the page escapes it.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { terminalText } from '../output/terminal-safe.js';

export interface TailText {
  lines: string[];
  /** Earlier output was left out. */
  truncated: boolean;
}

/** The last `maxLines` lines of `path` within its last `maxBytes`; null when there is no file. */
export function readTail(path: string, maxLines = 200, maxBytes = 256 * 1024): TailText | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const size = fstatSync(fd).size;
    const start = Math.max(0, size - maxBytes);
    const buffer = Buffer.alloc(size - start);
    let read = 0;
    while (read < buffer.length) {
      const n = readSync(fd, buffer, read, buffer.length - read, start + read);
      if (n === 0) break;
      read += n;
    }
    let lines = terminalText(buffer.subarray(0, read).toString('utf8')).split(/\r?\n/);
    // Cut mid-file, the first line is a fragment (maybe of a character): drop it.
    if (start > 0) lines = lines.slice(1);
    if (lines.at(-1) === '') lines.pop();
    const truncated = start > 0 || lines.length > maxLines;
    return { lines: lines.slice(-maxLines), truncated };
  } finally {
    closeSync(fd);
  }
}
