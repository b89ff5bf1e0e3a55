import { existsSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { type Clock, systemClock } from '../core/clock.js';
import { ConfigError, InputError } from '../core/errors.js';
import type { OwnerIdentity } from '../core/task.js';
import { processStartTicks } from '../host/process-liveness.js';
import { SharedState } from './shared-state.js';

export const STATE_FILE = 'state.db';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface OpenStateOptions {
  clock?: Clock;
  onRecovered?: (backupPath: string, cause: unknown) => void;
  /**
   * For read-only commands: refuse a state that does not exist rather than create it — run
   * from the wrong folder, an empty board would look like the truth.
   */
  mustExist?: boolean;
}

/**
 * What the shared state reads of the configuration. `Config` satisfies it; declared here so
 * that state depends on core only (docs/architecture.md, Layers).
 */
export interface SharedStateConfig {
  stateDir: string;
  sharedState: {
    staleThresholdMs: number;
    maxRetries: number;
    backoffBaseMs: number;
    backoffMaxMs: number;
    ownerStaleTtlMs: number;
  };
  events: { maxEvents: number; retentionDays: number };
}

/** Opens this workstation's shared state as the configuration describes it. */
export function openSharedState(config: SharedStateConfig, options: OpenStateOptions = {}): SharedState {
  const clock = options.clock ?? systemClock();
  const { sharedState: s, events } = config;
  const path = join(config.stateDir, STATE_FILE);
  if (options.mustExist && !existsSync(path)) {
    throw new InputError(
      `No codex-monitor state in ${config.stateDir} (no ${STATE_FILE} there): nothing has run with this state ` +
        'directory. Run the command in the folder the daemon runs in, or name its state directory with ' +
        '--state-dir <dir> or CODEX_MONITOR_STATE_DIR.',
    );
  }
  ensureStateDir(config.stateDir);
  return SharedState.open(path, {
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

/** Creates the state directory, or says clearly (as a configuration problem) why it cannot. */
function ensureStateDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    throw new ConfigError([
      `CODEX_MONITOR_STATE_DIR (or --state-dir) ${JSON.stringify(dir)}: cannot create the state directory ` +
        `(${code ?? message}); choose a directory this user can write`,
    ]);
  }
}

/** This process, as an owner of claims. */
export function currentOwner(ownerId: string): OwnerIdentity {
  return { id: ownerId, host: hostname(), pid: process.pid, pidStart: processStartTicks(process.pid) };
}
