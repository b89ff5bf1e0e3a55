import { InvalidArgumentError } from 'commander';
import { MAX_TIMER_MS, parseDuration as readDuration } from '../core/duration.js';
import { InputError } from '../core/errors.js';

/**
 * A duration on the command line ("90s", "15m", "2h", "7d"; a bare number is seconds), read
 * by the same parser as DAG files. Throws InputError (exit 2, with the message). `maxMs` bounds it (default: what a timer can wait).
 */
export function parseDuration(text: string, maxMs = MAX_TIMER_MS): number {
  const read = readDuration(text, { maxMs });
  if ('problem' in read) throw new InputError(`${read.problem}.`);
  return read.ms;
}

/** A point in time: an ISO date/time, or a duration meaning "that long ago". Throws InputError. */
export function parseSince(text: string, now: number): number {
  if (/^\d+(\.\d+)?(ms|s|m|h|d|w)$/.test(text.trim()))
    return now - parseDuration(text, Number.MAX_SAFE_INTEGER);
  const at = Date.parse(text);
  if (Number.isNaN(at)) {
    throw new InputError(
      `"${text}" is neither a time (2026-11-21T08:00:00Z) nor a duration ago (15m, 2h, 7d).`,
    );
  }
  return at;
}

export function parsePositiveInt(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1)
    throw new InvalidArgumentError(`"${text}" is not a whole number of at least 1.`);
  return n;
}
