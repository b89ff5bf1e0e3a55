import { config as loadDotenv } from 'dotenv';
import { type Config, loadConfig } from '../config/config.js';
import { misspelledVariables } from '../config/misspellings.js';
import { createLogger, type Logger } from '../core/logger.js';
import { openSharedState } from '../state/open-state.js';
import type { SharedState } from '../state/shared-state.js';

/** Options every command accepts. */
export interface GlobalOptions {
  stateDir?: string;
  json?: boolean;
}

export interface CommandContext {
  config: Config;
  logger: Logger;
  store: SharedState;
  [Symbol.dispose](): void;
}

/** Reads `.env` (real environment variables win) and validates the configuration. */
export function readConfig(
  globals: GlobalOptions,
  overrides: Record<string, string | undefined> = {},
): Config {
  loadDotenv({ quiet: true });
  const env = { ...process.env, ...overrides };
  if (globals.stateDir) env.CODEX_MONITOR_STATE_DIR = globals.stateDir;
  for (const warning of misspelledVariables(Object.keys(env))) {
    process.stderr.write(`codex-monitor: warning: ${warning}\n`);
  }
  return loadConfig(env);
}

/**
 * Config, logger and the open state database, closed when the command is done.
 * `readOnly` commands (status, events, state ls) refuse a state directory that does not exist
 * (exit 2, naming it) instead of creating an empty one. `freshOnGitHub`: except on GitHub, where
 * the command reads the fleet from GitHub itself (`status` on a workstation with no daemon yet).
 */
export function openContext(
  globals: GlobalOptions,
  options: { readOnly?: boolean; freshOnGitHub?: boolean } = {},
): CommandContext {
  const config = readConfig(globals);
  const logger = createLogger(config.logLevel);
  const fresh = options.freshOnGitHub === true && config.github.repository !== undefined;
  const store = openSharedState(config, {
    mustExist: options.readOnly === true && !fresh,
    onRecovered: (backup, cause) =>
      logger.warn(
        { backup, err: cause },
        'the state database was corrupt: moved it aside and started a fresh one',
      ),
  });
  return { config, logger, store, [Symbol.dispose]: () => store.close() };
}
