import { hostname } from 'node:os';
import { join } from 'node:path';
import { ManualClock, systemClock } from '../../src/core/clock.js';
import type { OwnerIdentity } from '../../src/core/task.js';
import { SharedState, type StatePolicy } from '../../src/state/shared-state.js';

export const HOST = 'test-host';

export const TEST_POLICY: StatePolicy = {
  staleThresholdMs: 10_000,
  maxRetries: 3,
  backoff: { baseMs: 1_000, maxMs: 8_000 },
  ownerStaleTtlMs: 20_000,
};

export function owner(id: string, pid = 1000 + id.length): OwnerIdentity {
  return { id, host: HOST, pid, pidStart: null };
}

/** A state manager on a real SQLite file with a manual clock and controllable pid liveness. */
export function testState(
  dir: string,
  overrides: { policy?: Partial<StatePolicy>; dead?: Set<number>; random?: () => number } = {},
) {
  const clock = new ManualClock();
  const dead = overrides.dead ?? new Set<number>();
  const store = SharedState.open(join(dir, 'state.db'), {
    clock,
    host: HOST,
    policy: { ...TEST_POLICY, ...overrides.policy },
    retention: { maxEvents: 10_000, maxAgeMs: 30 * 24 * 3600_000 },
    isAlive: (pid) => !dead.has(pid),
    random: overrides.random ?? (() => 0.5),
  });
  return { state: store, clock, dead };
}

/**
 * A state manager on a real file with the real clock and host: what a daemon process opens.
 * For tests and benchmarks that run several processes against one database.
 */
export function openRealState(path: string, policy: Partial<StatePolicy> = {}): SharedState {
  return SharedState.open(path, {
    clock: systemClock(),
    host: hostname(),
    policy: { ...TEST_POLICY, ...policy },
    retention: { maxEvents: 1_000_000, maxAgeMs: 86_400_000 },
  });
}
