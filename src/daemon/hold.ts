import type { Clock } from '../core/clock.js';
import { ClaimLostError } from '../core/errors.js';
import type { HandClaim, HandClaims } from './hands.js';

export interface HoldOptions {
  clock: Clock;
  /** How often to heartbeat: the daemon's heartbeat interval, well under the stale threshold. */
  intervalMs: number;
  /** Stops holding (SIGINT/SIGTERM); the claim stays and lapses unless renewed or released. */
  signal: AbortSignal;
  /** Told after every heartbeat (the first one right away). */
  onBeat?: (claim: HandClaim) => void;
}

/** Why `hold` ended: stopped by its signal, or the lease ran out (the claim lapses now). */
export interface HoldEnd {
  reason: 'stopped' | 'lease-ended';
  claim: HandClaim;
}

/**
 * `codex-monitor hold`: keeps this owner's hand claim of `task` live by heartbeating every
 * interval, without moving the lease's end — a forgotten terminal cannot hold a task forever;
 * `renew` extends the lease on purpose. Throws ClaimLostError as soon as a heartbeat is refused
 * (taken over, released elsewhere): the holder must stop working on it.
 */
export async function holdClaim(hands: HandClaims, task: string, options: HoldOptions): Promise<HoldEnd> {
  const { clock, signal } = options;
  let claim = await hands.held(task);
  while (!signal.aborted) {
    // The lease's end was set on the holder's side (claim, renew); compare it with our clock.
    const left = claim.leaseUntil === null ? options.intervalMs : claim.leaseUntil - clock.now();
    if (left <= 0) return { reason: 'lease-ended', claim };
    try {
      claim = await hands.beat(claim);
    } catch (error) {
      // The lease ran out between our look at the clock and the board's (and someone may have
      // taken the task over already, as they may): the same ending, not a lost claim.
      const over = claim.leaseUntil !== null && clock.now() >= claim.leaseUntil;
      if (error instanceof ClaimLostError && (error.lostBecause === 'lease-expired' || over))
        return { reason: 'lease-ended', claim };
      throw error;
    }
    options.onBeat?.(claim);
    try {
      await clock.sleep(Math.min(options.intervalMs, Math.max(1, left)), signal);
    } catch {
      break; // aborted: stop holding
    }
  }
  return { reason: 'stopped', claim };
}
