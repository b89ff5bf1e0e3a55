import type { Config } from '../../config/config.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { Board } from '../../daemon/board.js';
import type { Daemon } from '../../daemon/daemon.js';
import type { RunningServer, Steering } from '../../serve/server.js';
import type { SharedState } from '../../state/shared-state.js';
import { daemonHealth } from './daemon-health.js';
import { startDashboard } from './dashboard.js';
import type { DashboardFeed } from './dashboard-feed.js';

/**
 * `run --serve`: the dashboard inside the daemon's process, steering through the daemon's own
 * board and /healthz from its heartbeats and cycles. Prints where it listens (port 0: the chosen one).
 */
export async function startDaemonServer(parts: {
  config: Config;
  store: SharedState;
  board: Board;
  daemon: Daemon;
  clock: Clock;
  logger: Logger;
  /** Opened before the board, whose client and ledger report to its metrics. */
  feed: DashboardFeed;
}): Promise<RunningServer> {
  const { config, store, board, daemon, clock, logger, feed } = parts;
  const server = await startDashboard(config, store, {
    clock,
    logger,
    feed,
    steer: <T>(act: (steering: Steering) => Promise<T>) => act(board.steering),
    health: daemonHealth(daemon.events, clock, config.sharedState.renewDeadlineMs),
  });
  process.stdout.write(`codex-monitor run: dashboard listening on ${server.url}\n`);
  return server;
}
