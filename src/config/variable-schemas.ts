/** The parsers the variable table is written with: each names the form it expects. */
import { z } from 'zod';
import { describeMs, MAX_TIMER_MS } from '../core/duration.js';

export interface VariableSpec {
  name: string;
  /** Parses the raw string; the default is applied before parsing. */
  schema: z.ZodType;
  default?: string;
  /** The expected form, in words, for error messages. */
  expected: string;
  doc: string;
  /** Read only on this board (a `.env` written for the other board leaves it out). */
  board?: 'local' | 'github';
}

export const bool = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off']))
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));

export const int = (min: number, max = Number.MAX_SAFE_INTEGER) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+$/)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

export const text = z.string().trim().min(1);

/** A day: the bound of durations the daemon stretches (jitter) or adds a margin to. */
export const DAY_MS = 86_400_000;

/**
 * A duration in whole milliseconds, bounded: every one of them ends up in a timer, and Node
 * fires a timer longer than MAX_TIMER_MS after 1 ms (a heartbeat storm, a busy poll).
 */
export const durationMs = (min: number, max = MAX_TIMER_MS) => ({
  schema: int(min, max),
  expected: `a whole number of milliseconds from ${min} to ${describeMs(max)}${max === MAX_TIMER_MS ? ', the longest a timer can wait' : ''}`,
});
