/**
 * The dashboard as both `serve` and `run --serve` start it: what the server reads (this
 * workstation's store and, on GitHub, the fleet reader), its options from the configuration,
 * and /metrics (on both boards: dashboard-feed.ts). The callers differ only in how they steer and
 * in health.
 */
import type { Config } from '../../config/config.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { type Metrics, metricsHandler } from '../../observe/metrics/index.js';
import { type RunningServer, type ServerOptions, startServer } from '../../serve/server.js';
import type { SharedState } from '../../state/shared-state.js';
import { githubIssuesRepository } from '../open/board-kind.js';
import { type DashboardFeed, openDashboardFeed } from './dashboard-feed.js';
import { chartsSource, logSource } from './dashboard-routes.js';
import { type SourcesOptions, serveSources } from './serve-sources.js';

export async function startDashboard(
  config: Config,
  store: SharedState,
  /** `feed`: opened by `run --serve` before its board (its observers feed the same metrics). */
  deps: { clock: Clock; logger: Logger; feed?: DashboardFeed } & Pick<SourcesOptions, 'steer' | 'health'>,
): Promise<RunningServer> {
  const { clock, logger, steer, health } = deps;
  const { fleet, metrics } = deps.feed ?? (await openDashboardFeed(config, store, { clock, logger }));
  const sources = serveSources({
    store,
    fleet,
    refreshEveryMs: config.pollIntervalMs,
    clock,
    steer,
    ...(health ? { health } : {}),
  });
  return startServer(serverOptions(config, sources, logger, metrics, store, clock));
}

/** The server options every caller shares: host, port, token, actions from the configuration. */
export function serverOptions(
  config: Config,
  sources: ServerOptions['sources'],
  logger: Logger,
  metrics: Metrics,
  store: SharedState,
  clock: Clock,
): ServerOptions {
  return {
    host: config.serve.host,
    port: config.serve.port,
    token: config.serve.token,
    allowActions: config.serve.allowActions,
    sources,
    routes: {
      metrics: () => metricsHandler(metrics.registry),
      // On GitHub the registry the board's client reports to draws the budget and route charts.
      charts: chartsSource(store, clock, githubIssuesRepository(config) === undefined ? null : metrics),
      logs: logSource(config, store),
    },
    onError: (error) => logger.warn({ err: error }, 'dashboard request failed'),
  };
}
