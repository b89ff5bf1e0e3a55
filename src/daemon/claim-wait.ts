/**
 * `claim --wait`: a hand claim that finds the task held keeps watching the holder instead of
 * giving up. On GitHub a fresh process has seen nothing of the holder yet, and the ledger lets an
 * observer take over only what it has itself watched stay silent (or a hand lease it has itself
 * watched run out) for the stale threshold, on its own clock: so the first try is refused, and
 * the same process — the same ledger, the same observer — trying again after watching that long
 * takes a silent holder's claim over. A live holder keeps it: the wait ends refused at its bound.
 */
import type { Clock } from '../core/clock.js';
import { ClaimRefusedError } from '../core/errors.js';
import type { HandClaims, HandResult } from './hands.js';

export interface ClaimWaitOptions {
  clock: Clock;
  /** The longest to wait before giving up with the holder's refusal. */
  waitMs: number;
  /** How often to look again: the heartbeat interval (each look is one read of the board). */
  pollMs: number;
  signal: AbortSignal;
  /** Told once, at the first refusal: who holds it (for a line on stderr). */
  onWaiting?: (refusal: ClaimRefusedError) => void;
}

export async function claimWaiting(
  hands: HandClaims,
  task: string,
  leaseMs: number,
  o: ClaimWaitOptions,
): Promise<HandResult> {
  const deadline = o.clock.monotonic() + o.waitMs;
  let told = false;
  for (;;) {
    try {
      return await hands.claim(task, leaseMs);
    } catch (error) {
      // Only a holder can go silent: done, poisoned, our own claim, an unknown task stay refused.
      if (!(error instanceof ClaimRefusedError) || error.reason !== 'held' || error.holder === hands.owner)
        throw error;
      const left = deadline - o.clock.monotonic();
      if (left <= 0 || o.signal.aborted) throw error;
      if (!told) o.onWaiting?.(error);
      told = true;
      try {
        await o.clock.sleep(Math.min(o.pollMs, left), o.signal);
      } catch {
        throw error; // stopped while waiting: the refusal stands
      }
    }
  }
}
