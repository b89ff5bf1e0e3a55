import { config as loadDotenv } from 'dotenv';
import { type Config, type LoadOptions, loadConfig } from '../config/config.js';
import { misspelledVariables } from '../config/misspellings.js';
import { createLogger, type Logger } from '../core/logger.js';
import { openSharedState } from '../state/open-state.js';
import type { SharedState } from '../state/shared-state.js';
import { ghAuthToken } from './open/gh-token.js';

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

/**
 * Reads `.env` (real environment variables win) and validates the configuration. On GitHub
 * without GITHUB_TOKEN or an app, the token may come from `gh auth token`.
 */
export function readConfig(
  globals: GlobalOptions,
  overrides: Record<string, string | undefined> = {},
  options: Pick<LoadOptions, 'onExecutorProblem'> = {},
): Config {
  loadDotenv({ quiet: true });
  const env = { ...process.env, ...overrides };
  if (globals.stateDir) env.CODEX_MONITOR_STATE_DIR = globals.stateDir;
  for (const warning of misspelledVariables(Object.keys(env))) {
    process.stderr.write(`codex-monitor: warning: ${warning}\n`);
  }
  return loadConfig(env, { ...options, fallbackToken: () => ghAuthToken(env.GITHUB_API_URL) });
}

/**
 * Config, logger and the open state database, closed when the command is done.
 * `readOnly` commands (status, events, state ls) refuse a state directory that does not exist
 * (exit 2, naming it) instead of creating an empty one. `freshOnLedgerBoard`: except on GitHub or
 * Jira, where the command reads the fleet from the ledger (`status` on a workstation with no daemon yet).
 */
export function openContext(
  globals: GlobalOptions,
  /**
   * `readOnly` as a function decides by the configuration (`logs`: read-only on the local board
   * only); `freshOnLedgerBoard`: a read-only command that may start from no state directory on GitHub
   * or Jira (`status` reads the fleet from the ledger).
   */
  options: { readOnly?: boolean | ((config: Config) => boolean); freshOnLedgerBoard?: boolean } & Pick<
    LoadOptions,
    'onExecutorProblem'
  > = {},
): CommandContext {
  const config = readConfig(
    globals,
    {},
    options.onExecutorProblem ? { onExecutorProblem: options.onExecutorProblem } : {},
  );
  const readOnly =
    typeof options.readOnly === 'function' ? options.readOnly(config) : options.readOnly === true;
  const logger = createLogger(config.logLevel);
  const fresh =
    options.freshOnLedgerBoard === true &&
    (config.github.repository !== undefined || config.jira !== undefined);
  const store = openSharedState(config, {
    mustExist: readOnly && !fresh,
    onRecovered: (backup, cause) =>
      logger.warn(
        { backup, err: cause },
        'the state database was corrupt: moved it aside and started a fresh one',
      ),
  });
  return { config, logger, store, [Symbol.dispose]: () => store.close() };
}
