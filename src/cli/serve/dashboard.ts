/**
 * The dashboard as both `serve` and `run --serve` start it: what the server reads (this
 * workstation's store and, on GitHub, the fleet reader), its options from the configuration,
 * and /metrics on the local board. The callers differ only in how they steer and in health.
 */
import type { Config } from '../../config/config.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import { createMetrics, localSources, metricsHandler } from '../../observe/metrics/index.js';
import { type RunningServer, type ServerOptions, startServer } from '../../serve/server.js';
import type { SharedState } from '../../state/shared-state.js';
import { chartsSource, logSource } from './dashboard-routes.js';
import { fleetSource, type SourcesOptions, serveSources } from './serve-sources.js';

export async function startDashboard(
  config: Config,
  store: SharedState,
  deps: { clock: Clock; logger: Logger } & Pick<SourcesOptions, 'steer' | 'health'>,
): Promise<RunningServer> {
  const { clock, logger, steer, health } = deps;
  const github = await fleetSource(config, store, clock, logger);
  const sources = serveSources({
    store,
    github,
    refreshEveryMs: config.pollIntervalMs,
    clock,
    steer,
    ...(health ? { health } : {}),
  });
  return startServer(serverOptions(config, sources, logger, store, clock));
}

/** The server options every caller shares: host, port, token, actions from the configuration. */
export function serverOptions(
  config: Config,
  sources: ServerOptions['sources'],
  logger: Logger,
  store: SharedState,
  clock: Clock,
): ServerOptions {
  // GET /metrics on the local board; on GitHub the task gauges must come from the fleet view
  // (not built yet), so it stays 404 there rather than report the local store's empty counts.
  const metrics = config.github.repository === undefined ? createMetrics(localSources(store)) : null;
  return {
    host: config.serve.host,
    port: config.serve.port,
    token: config.serve.token,
    allowActions: config.serve.allowActions,
    sources,
    routes: {
      ...(metrics ? { metrics: () => metricsHandler(metrics.registry) } : {}),
      // GitHub charts need the registry the board's client reports to (none here yet on GitHub).
      charts: chartsSource(store, clock, config.github.repository === undefined ? null : metrics),
      logs: logSource(config, store),
    },
    onError: (error) => logger.warn({ err: error }, 'dashboard request failed'),
  };
}
