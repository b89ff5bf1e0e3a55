import { backoffDelayMs } from '../core/backoff.js';
import type { Clock } from '../core/clock.js';
import { CodexMonitorError, retryAfterOf } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { Board } from './board.js';

/**
 * Failures at start-up that time can fix: the board is unreachable or answers 5xx, a rate
 * limit, a write whose outcome is unknown. Anything else — a bad token (401), a missing
 * permission (403), no such repository (404), an owner id in use — needs a person.
 */
const RETRYABLE = new Set(['GITHUB_UNAVAILABLE', 'GITHUB_RATE_LIMITED', 'LEDGER_UNCERTAIN']);

export function retryableAtStartup(error: unknown): boolean {
  return error instanceof CodexMonitorError && RETRYABLE.has(error.code);
}

export interface StartupOptions {
  board: Board;
  clock: Clock;
  logger: Logger;
  /** First wait, doubling with jitter (default 1 s). */
  baseWaitMs?: number;
  /** Longest wait between tries (default 60 s): a board back up is noticed within a minute. */
  maxWaitMs?: number;
  random?: () => number;
}

/**
 * Registers with the board, retrying with backoff for as long as the failure is one time can
 * fix: under a supervisor, exiting on an outage would only turn it into a crash loop.
 * Each retry is logged with its cause and the wait before the next. Returns false when
 * `signal` stopped it first.
 */
export async function registerWithRetries(options: StartupOptions, signal: AbortSignal): Promise<boolean> {
  const { board, clock, logger } = options;
  const backoff = { baseMs: options.baseWaitMs ?? 1_000, maxMs: options.maxWaitMs ?? 60_000 };
  for (let attempt = 1; ; attempt++) {
    if (signal.aborted) return false;
    try {
      await board.register();
      if (attempt > 1) logger.warn({ attempts: attempt }, `${board.name} board reached: starting`);
      return true;
    } catch (error) {
      if (!retryableAtStartup(error) || signal.aborted) throw error;
      const nextWaitMs = retryAfterOf(error) ?? backoffDelayMs(attempt, backoff, options.random);
      logger.warn(
        { err: error, attempt, nextWaitMs },
        `cannot start on the ${board.name} board yet (${(error as Error).message}); ` +
          `trying again in ${Math.ceil(nextWaitMs / 1000)} s`,
      );
      try {
        await clock.sleep(nextWaitMs, signal);
      } catch {
        return false; // stopped while waiting
      }
    }
  }
}
