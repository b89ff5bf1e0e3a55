/**
 * What a claimer may do with a task chain's tip: pure, so every rule is testable without I/O.
 *
 *   absent                       → create the ref with a root claim
 *   release complete             → refuse `done`
 *   release failed               → claim once its backoff has elapsed on this observer's clock
 *   release abandoned, reset     → claim (reset: retries back to 0)
 *   poison                       → refuse `poisoned`
 *   claim, holder live           → refuse `held`
 *   claim, holder silent ≥ T     → take over (retries + 1: a crashed attempt counts as failed)
 *   hand claim, lease seen out   → take over (retries unchanged: a person gave it back by silence)
 *   unknown commit, silent ≥ T   → claim on it (it may be a newer version's record: wait first)
 *   any claim at the retry limit → write poison instead
 *
 * "Silent" is the shorter of how long this observer has seen the holder's owner ref and the
 * claim tip itself unchanged (no owner ref: the tip alone). A fresh claim is evidence of life
 * too, so an owner that idled without heartbeats is not taken over the moment it claims.
 */
import type { ChainRefusalReason } from '../../../../core/task.js';
import type { TaskRecord } from './ledger-record.js';

export interface TipFacts {
  /** null: an unknown (foreign or malformed) commit. */
  record: TaskRecord | null;
  /** Failed attempts so far (for an unknown tip: from the nearest record below it). */
  retries: number;
  /** Since this observer first saw the tip (backoffs). */
  seenForMs: number;
  /** How long the tip has provably stayed unchanged (staleness). */
  unchangedForMs: number;
}

export interface Claimer {
  ownerId: string;
  /** True for attempt ids this process wrote (a claim whose answer we may not have received). */
  knowsAttempt(attempt: string): boolean;
  /** This process has heartbeated `ownerId` successfully: no other live daemon uses the id. */
  ownerVerified: boolean;
}

export interface Judge {
  staleThresholdMs: number;
  maxRetries: number;
  /** How long the owner's ref has provably stayed unchanged; null when it has no owner ref. */
  ownerUnchangedForMs(ownerId: string): number | null;
  claimer?: Claimer;
}

export type Decision =
  | { action: 'claim'; retries: number; tookOverFrom: string | null; detail: string }
  /** `tookOverFrom`: the poison ends that owner's claim (a takeover at the retry limit). */
  | { action: 'poison'; retries: number; reason: string; tookOverFrom: string | null }
  | { action: 'adopt' }
  | { action: 'refuse'; reason: ChainRefusalReason; holder?: string; detail: string; waitMs?: number };

function claimOrPoison(retries: number, j: Judge, tookOverFrom: string | null, detail: string): Decision {
  if (retries >= j.maxRetries) {
    return {
      action: 'poison',
      retries,
      reason: `${detail}; retry limit reached (${retries} of ${j.maxRetries})`,
      tookOverFrom,
    };
  }
  return { action: 'claim', retries, tookOverFrom, detail };
}

function decideClaim(rec: TaskRecord, tip: TipFacts, j: Judge): Decision {
  const me = j.claimer;
  if (me && rec.owner === me.ownerId) {
    if (me.knowsAttempt(rec.attempt)) return { action: 'adopt' };
    if (me.ownerVerified) {
      // A claim under our own id that this process did not write: an earlier run of this owner
      // that crashed. Our successful heartbeat proves no other live daemon uses the id.
      return claimOrPoison(
        rec.retries + 1,
        j,
        rec.owner,
        `orphaned attempt ${rec.attempt} of an earlier run`,
      );
    }
  }
  // A hand claim's lease, on this observer's clock from when it first saw the record.
  const leaseLeft =
    rec.hand && rec.leaseMs !== undefined ? rec.leaseMs - tip.seenForMs : Number.POSITIVE_INFINITY;
  if (leaseLeft <= 0) {
    const detail = `hand lease of ${rec.owner} ran out (${rec.leaseMs} ms since this observer saw it)`;
    return claimOrPoison(rec.retries, j, rec.owner, detail);
  }
  const owner = j.ownerUnchangedForMs(rec.owner);
  const silent = Math.min(owner ?? Number.POSITIVE_INFINITY, tip.unchangedForMs);
  // Whole milliseconds in the details: the monotonic clock is fractional, and people read them.
  const shown = Math.round(silent);
  if (silent >= j.staleThresholdMs) {
    const detail = `owner ${rec.owner} silent for ${shown} ms on this observer's clock (attempt ${rec.attempt})`;
    // A silent person is no crashed attempt of the fleet: no retry is spent.
    return claimOrPoison(rec.hand ? rec.retries : rec.retries + 1, j, rec.owner, detail);
  }
  const by = rec.hand ? ', by hand' : '';
  return {
    action: 'refuse',
    reason: 'held',
    holder: rec.owner,
    detail: `held by ${rec.owner}${by} (epoch ${rec.epoch}), seen silent for ${shown} ms of ${j.staleThresholdMs}`,
    waitMs: Math.min(j.staleThresholdMs - silent, leaseLeft),
  };
}

export function decide(tip: TipFacts | null, j: Judge): Decision {
  if (tip === null) return { action: 'claim', retries: 0, tookOverFrom: null, detail: 'no ledger ref yet' };
  const rec = tip.record;
  if (rec === null) {
    if (tip.unchangedForMs >= j.staleThresholdMs) {
      return claimOrPoison(tip.retries, j, null, 'unknown commit at the tip, unchanged past the threshold');
    }
    return {
      action: 'refuse',
      reason: 'held',
      detail: 'unknown commit at the tip: waiting for it to stay unchanged for the stale threshold',
      waitMs: j.staleThresholdMs - tip.unchangedForMs,
    };
  }
  switch (rec.kind) {
    case 'poison':
      return {
        action: 'refuse',
        reason: 'poisoned',
        detail: `poisoned by ${rec.owner}: ${rec.reason ?? ''}`,
      };
    case 'reset':
      return { action: 'claim', retries: 0, tookOverFrom: null, detail: `reset by ${rec.owner}` };
    case 'claim':
      return decideClaim(rec, tip, j);
    case 'release':
      break;
  }
  if (rec.outcome === 'complete') {
    return { action: 'refuse', reason: 'done', holder: rec.owner, detail: `completed by ${rec.owner}` };
  }
  if (rec.outcome === 'failed') {
    if (rec.retries >= j.maxRetries) return claimOrPoison(rec.retries, j, null, `failed by ${rec.owner}`);
    const wait = (rec.backoffMs ?? 0) - tip.seenForMs;
    if (wait > 0) {
      return {
        action: 'refuse',
        reason: 'backoff',
        detail: `failed attempt ${rec.retries}; backing off ${rec.backoffMs} ms on this observer's clock`,
        waitMs: wait,
      };
    }
  }
  return claimOrPoison(rec.retries, j, null, `released (${rec.outcome}) by ${rec.owner}`);
}
