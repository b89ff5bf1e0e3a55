import { EventEmitter } from 'node:events';
import type { ActiveClaim } from './board.js';

/**
 * Typed lifecycle events of a running daemon. Tests await them instead of sleeping; the
 * CLI turns them into one line per transition on a terminal.
 */
export interface LifecycleEvents {
  claimed: [claim: ActiveClaim];
  started: [claim: ActiveClaim];
  completed: [claim: ActiveClaim, durationMs: number];
  failed: [claim: ActiveClaim, error: string, retryAt: number | null];
  poisoned: [claim: ActiveClaim, error: string];
  abandoned: [claim: ActiveClaim, reason: string];
  fenced: [claim: ActiveClaim, reason: string];
  swept: [taskIds: string[]];
  'heartbeat-missed': [silentMs: number];
  /** A heartbeat completed (the board accepted it): `/healthz` of `run --serve`. */
  heartbeat: [];
  /** A cycle read the board (refresh succeeded): the board is reachable. */
  refreshed: [];
  idle: [];
  stopping: [reason: string];
  warning: [message: string, error: unknown];
}

export class Lifecycle extends EventEmitter<LifecycleEvents> {}
