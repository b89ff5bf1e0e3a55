/** Small helpers for human output. */
import { type Colours, colours } from './colour.js';
import { terminalLine } from './terminal-safe.js';

/**
 * A plain-text table; every cell is made terminal-safe (cells carry titles, errors, reasons).
 * `paint` (on a terminal) colours after padding, so columns stay aligned: the headers, a header
 * that names a state in its state's colour, and in a STATE column the state a cell starts with.
 */
export function table(
  headers: string[],
  rows: (string | number | null | undefined)[][],
  paint: Colours = PLAIN,
): string {
  const cells = [
    headers,
    ...rows.map((r) => r.map((c) => (c === null || c === undefined ? '-' : terminalLine(String(c))))),
  ];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const colour = (text: string, padded: string, i: number, header: boolean): string => {
    if (!paint.enabled) return padded;
    if (header) {
      const state = text.toLowerCase();
      return paint.state(state, padded) === padded ? paint.heading(padded) : paint.state(state, padded);
    }
    return headers[i] === 'STATE' ? paint.state(text.split(' ')[0]!, padded) : padded;
  };
  return cells
    .map((r, row) =>
      r
        .map((c, i) => colour(c, i === r.length - 1 ? c : c.padEnd(widths[i]!), i, row === 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const PLAIN = colours(false);

/** "3.2s", "4m05s", "2h10m", "3d4h": compact and sortable by eye. */
export function duration(ms: number): string {
  if (ms < 0) return `-${duration(-ms)}`;
  if (ms < 1_000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const s = Math.floor(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86_400)}d${Math.floor((s % 86_400) / 3600)}h`;
}

export function isoTime(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString();
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
