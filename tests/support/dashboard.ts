/**
 * A dashboard in the test's own process, opened as `serve` opens it (the feed: the fleet reader
 * and the metrics registry), over a real server on 127.0.0.1 and a real state file. No steering.
 */
import { startDashboard } from '../../src/cli/serve/dashboard.js';
import { openDashboardFeed } from '../../src/cli/serve/dashboard-feed.js';
import type { Config } from '../../src/config/config.js';
import { systemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import type { RunningServer } from '../../src/serve/server.js';
import { openSharedState } from '../../src/state/open-state.js';
import type { SharedState } from '../../src/state/shared-state.js';

/** The server and its store: close both (server first). */
export async function startTestDashboard(
  config: Config,
): Promise<{ server: RunningServer; store: SharedState }> {
  const clock = systemClock();
  const store = openSharedState(config, { clock });
  try {
    const feed = await openDashboardFeed(config, store, { clock, logger: silentLogger() });
    const server = await startDashboard(config, store, {
      clock,
      logger: silentLogger(),
      feed,
      steer: async () => {
        throw new Error('no steering in this test');
      },
    });
    return { server, store };
  } catch (error) {
    store.close();
    throw error;
  }
}
