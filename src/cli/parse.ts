import { InvalidArgumentError } from 'commander';
import { InputError } from '../core/errors.js';

const UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** A duration like "90s", "15m", "2h", "7d". */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/.exec(text.trim());
  if (!match)
    throw new InvalidArgumentError(
      `"${text}" is not a duration: use a number and a unit, like 90s, 15m, 2h or 7d.`,
    );
  return Number(match[1]) * UNITS[match[2]!]!;
}

/** A point in time: an ISO date/time, or a duration meaning "that long ago". Throws InputError. */
export function parseSince(text: string, now: number): number {
  if (/^\d+(\.\d+)?(ms|s|m|h|d|w)$/.test(text.trim())) return now - parseDuration(text);
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
