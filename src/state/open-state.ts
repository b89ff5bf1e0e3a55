import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../config/config.js';
import { type Clock, systemClock } from '../core/clock.js';
import type { OwnerIdentity } from '../core/task.js';
import { processStartTicks } from './process-liveness.js';
import { SharedState } from './shared-state.js';

export const STATE_FILE = 'state.db';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Opens this workstation's shared state as the configuration describes it. */
export function openSharedState(
  config: Config,
  options: { clock?: Clock; onRecovered?: (backupPath: string, cause: unknown) => void } = {},
): SharedState {
  const clock = options.clock ?? systemClock();
  const { sharedState: s, events } = config;
  return SharedState.open(join(config.stateDir, STATE_FILE), {
    clock,
    host: hostname(),
    policy: {
      staleThresholdMs: s.staleThresholdMs,
      maxRetries: s.maxRetries,
      backoff: { baseMs: s.backoffBaseMs, maxMs: s.backoffMaxMs },
      ownerStaleTtlMs: s.ownerStaleTtlMs,
    },
    retention: { maxEvents: events.maxEvents, maxAgeMs: events.retentionDays * DAY_MS },
    now: () => clock.now(),
    ...(options.onRecovered ? { onRecovered: options.onRecovered } : {}),
  });
}

/** This process, as an owner of claims. */
export function currentOwner(ownerId: string): OwnerIdentity {
  return { id: ownerId, host: hostname(), pid: process.pid, pidStart: processStartTicks(process.pid) };
}
