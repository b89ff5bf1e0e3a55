import { stripVTControlCharacters } from 'node:util';
import { type Clock, systemClock } from '../../core/clock.js';
import { parseDuration } from '../../core/duration.js';
import { InputError } from '../../core/errors.js';
import { createLiveRegion } from './live-region.js';

/** One view of what is watched: as text for a person, as a JSON document for a program. */
export interface WatchFrame {
  text: string;
  json: unknown;
}

export interface WatchOptions {
  /** Time between the end of one frame and the start of the next (see parseWatchInterval). */
  intervalMs: number;
  /** One JSON document per line instead of text. */
  json: boolean;
  render: () => WatchFrame | Promise<WatchFrame>;
  /** Default process.stdout. */
  out?: NodeJS.WriteStream;
  /** Default the system clock. */
  clock?: Clock;
}

export const WATCH_DEFAULT_MS = 2_000;
const MIN_MS = 1_000;
const MAX_MS = 3_600_000;

/**
 * The `--watch [interval]` value: absent (`true`) means the default 2s; otherwise a duration
 * read the one way durations are read (a bare number is seconds, as everywhere), from 1s to 1h —
 * 0s would spin, and an hour-long wait is a cron job's work. Throws InputError (exit 2).
 */
export function parseWatchInterval(value: string | boolean | undefined): number {
  if (value === undefined || typeof value === 'boolean') return WATCH_DEFAULT_MS;
  const read = parseDuration(value);
  if ('problem' in read) throw new InputError(`--watch: ${read.problem} (e.g. --watch 5s).`);
  const { ms } = read;
  if (ms < MIN_MS || ms > MAX_MS) {
    throw new InputError(
      `--watch ${JSON.stringify(value)} is out of range: the interval must be from 1s to 1h (e.g. --watch 5s).`,
    );
  }
  return ms;
}

/**
 * Shows `render()` every interval until SIGINT/SIGTERM or until the reader goes away (a closed
 * pipe, a terminal gone), then resolves: the caller exits 0 — stopping a watch is its normal end.
 * On a terminal each frame replaces the last in place (the scrollback does not grow); piped,
 * text frames follow each other separated by a blank line, and JSON is one document per line.
 */
export async function watch(options: WatchOptions): Promise<void> {
  const out = options.out ?? process.stdout;
  const clock = options.clock ?? systemClock();
  const stop = new AbortController();
  const end = () => stop.abort();
  out.on('error', end);
  out.on('close', end);
  // `on`, not `once`, until the end: log-update's cursor restorer (signal-exit) re-raises a
  // signal it finds no other listener for — a `once` listener is gone by then (exit 130).
  process.on('SIGINT', end);
  process.on('SIGTERM', end);
  const live = out.isTTY === true && !options.json ? createLiveRegion(out) : null;
  try {
    for (let frame = 0; !stop.signal.aborted; frame++) {
      const { text, json } = await options.render();
      if (stop.signal.aborted || !out.writable) break;
      if (options.json) out.write(`${JSON.stringify(json)}\n`);
      else if (live) live.update(fitScreen(text, out.rows, out.columns));
      else out.write(`${frame > 0 ? '\n' : ''}${text}`);
      await clock.sleep(options.intervalMs, stop.signal).catch(() => undefined);
    }
  } finally {
    process.off('SIGINT', end);
    process.off('SIGTERM', end);
    out.off('error', end);
    out.off('close', end);
    // The last frame stays on screen, the cursor shows again.
    live?.close({ keep: true });
  }
}

/**
 * A frame taller than the terminal, cut to its top (the heading and the summary matter most)
 * with a note of what is left out: log-update would keep the bottom instead, and a frame that
 * scrolled would grow the scrollback with every redraw.
 */
export function fitScreen(text: string, rows: number | undefined, columns: number | undefined): string {
  if (!rows || !columns) return text;
  const lines = text.replace(/\n$/, '').split('\n');
  // Rows each line takes once the terminal wraps it.
  // Colour codes take no columns.
  const height = (line: string) => Math.max(1, Math.ceil(stripVTControlCharacters(line).length / columns));
  let used = 0;
  let fits = 0;
  while (fits < lines.length && used + height(lines[fits]!) <= rows - 1) used += height(lines[fits++]!);
  if (fits === lines.length) return text;
  while (fits > 0 && used + 1 > rows - 1) used -= height(lines[--fits]!);
  const note = `… ${lines.length - fits} more lines (a taller terminal shows them; status without --watch prints all)`;
  return `${[...lines.slice(0, fits), note.slice(0, columns)].join('\n')}\n`;
}
